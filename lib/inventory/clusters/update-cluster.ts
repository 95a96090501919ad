import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict, invalidField, notFound } from "@/lib/api/errors";
import { updateClusterInput } from "./schemas";

export const updateCluster = defineAction({
  name: "cluster.update",
  permission: "inventory:write",
  input: updateClusterInput,
  async run({ tx, audit }, { id, ...input }) {
    const before = await tx.cluster.findUnique({ where: { id }, include: { _count: { select: { nodes: true } } } });
    if (!before) return fail(notFound("This cluster"));
    if (before.engine !== input.engine && before._count.nodes > 0) {
      return fail(invalidField("engine", "The engine cannot change while the cluster has nodes; remove them first."));
    }
    const clash = await tx.cluster.findFirst({ where: { name: input.name, NOT: { id } } });
    if (clash) return fail(fieldConflict("name", `A cluster named "${input.name}" already exists.`));
    await tx.cluster.update({ where: { id }, data: input });
    await audit({
      action: "cluster.update",
      clusterId: id,
      clusterName: input.name,
      payload: { before: { name: before.name, engine: before.engine, version: before.version, settings: before.settings }, after: input },
    });
    return ok({ id });
  },
});
