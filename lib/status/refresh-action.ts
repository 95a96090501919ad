import { z } from "zod";
import { defineAction, ok, toActor } from "@/lib/api/action";
import { fail, notFound } from "@/lib/api/errors";
import { idField } from "@/lib/inventory/fields";
import { sampleCluster } from "./sample-cluster";

/** Samples a cluster now, on behalf of the person asking (its commands are audited under their name). */
export const refreshClusterStatus = defineAction({
  name: "cluster.status_refresh",
  permission: "inventory:write",
  input: z.object({ id: idField }),
  async remote(actor, { id }) {
    const observation = await sampleCluster(id, { actor: toActor(actor) });
    if (!observation) return fail(notFound("This cluster"));
    return ok({ health: observation.health, reason: observation.reason });
  },
  run: async (_ctx, _input, summary) => ok(summary),
});
