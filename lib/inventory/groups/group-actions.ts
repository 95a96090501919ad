import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict, notFound } from "@/lib/api/errors";
import { idField, nameField } from "../fields";

export const createGroup = defineAction({
  name: "group.create",
  permission: "inventory:write",
  input: z.object({ clusterId: idField, name: nameField }),
  async run({ tx, audit }, { clusterId, name }) {
    const cluster = await tx.cluster.findUnique({ where: { id: clusterId } });
    if (!cluster) return fail(notFound("This cluster"));
    if (await tx.nodeGroup.findUnique({ where: { clusterId_name: { clusterId, name } } })) {
      return fail(fieldConflict("name", `Cluster ${cluster.name} already has a group named "${name}".`));
    }
    const group = await tx.nodeGroup.create({ data: { clusterId, name } });
    await audit({ action: "group.create", clusterId, clusterName: cluster.name, payload: { group: name } });
    return ok({ id: group.id });
  },
});

export const deleteGroup = defineAction({
  name: "group.delete",
  permission: "inventory:write",
  input: z.object({ id: idField }),
  async run({ tx, audit }, { id }) {
    const group = await tx.nodeGroup.findUnique({ where: { id }, include: { cluster: true, nodes: { select: { name: true } } } });
    if (!group) return fail(notFound("This group"));
    if (group.nodes.length > 0) {
      return fail({ code: "IN_USE", message: `Group ${group.name} still holds ${group.nodes.map((n) => n.name).join(", ")}; move or delete those nodes first.` });
    }
    await tx.nodeGroup.delete({ where: { id } });
    await audit({ action: "group.delete", clusterId: group.clusterId, clusterName: group.cluster.name, payload: { group: group.name } });
    return ok({ id });
  },
});
