import { defineAction, ok } from "@/lib/api/action";
import { fail, invalidField, notFound } from "@/lib/api/errors";
import { deleteClusterInput } from "./schemas";

export const deleteCluster = defineAction({
  name: "cluster.delete",
  permission: "inventory:write",
  input: deleteClusterInput,
  async run({ tx, audit }, { id, confirmName }) {
    const cluster = await tx.cluster.findUnique({ where: { id }, include: { nodes: { select: { name: true } }, groups: { select: { name: true } } } });
    if (!cluster) return fail(notFound("This cluster"));
    if (confirmName !== cluster.name) {
      return fail(invalidField("confirmName", `Type the cluster's name (${cluster.name}) to confirm.`));
    }
    await tx.cluster.delete({ where: { id } });
    await audit({
      action: "cluster.delete",
      clusterId: id,
      clusterName: cluster.name,
      payload: { engine: cluster.engine, nodes: cluster.nodes.map((n) => n.name), groups: cluster.groups.map((g) => g.name) },
    });
    return ok({ id });
  },
});
