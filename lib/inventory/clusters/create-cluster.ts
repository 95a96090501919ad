import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict } from "@/lib/api/errors";
import { createClusterInput } from "./schemas";

export const createCluster = defineAction({
  name: "cluster.create",
  permission: "inventory:write",
  input: createClusterInput,
  async run({ tx, audit }, input) {
    if (await tx.cluster.findUnique({ where: { name: input.name } })) {
      return fail(fieldConflict("name", `A cluster named "${input.name}" already exists.`));
    }
    const cluster = await tx.cluster.create({ data: input });
    await audit({ action: "cluster.create", clusterId: cluster.id, clusterName: cluster.name, payload: { engine: input.engine, version: input.version, settings: input.settings } });
    return ok({ id: cluster.id });
  },
});
