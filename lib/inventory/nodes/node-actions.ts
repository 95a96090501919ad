import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import type { AppError } from "@/lib/api/errors";
import { fail, fieldConflict, notFound } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { ENGINE_SPECS, type EngineName } from "../engines";
import { idField, optionalId } from "../fields";

const nodeFields = z.object({
  clusterId: idField,
  name: z.string({ error: "required" }).trim().min(1, "required"),
  type: z.string({ error: "required" }).trim().min(1, "required"),
  role: z.string().trim().default(""),
  hostId: z.string({ error: "choose a host" }).trim().pipe(z.uuid("choose a host")),
  groupId: optionalId,
});
type NodeFields = z.output<typeof nodeFields>;

/** Checks that depend on the cluster's engine and on other rows; each names its field. */
async function checkNode(tx: Tx, input: NodeFields, selfId?: string): Promise<AppError | { clusterName: string; hostName: string; groupName: string }> {
  const cluster = await tx.cluster.findUnique({ where: { id: input.clusterId } });
  if (!cluster) return notFound("This cluster");
  const spec = ENGINE_SPECS[cluster.engine as EngineName];
  const fieldErrors: Record<string, string[]> = {};
  const name = spec.nodeName.safeParse(input.name);
  if (!name.success) fieldErrors.name = [`${spec.label} node names are ${spec.nodeNameHint}`];
  const roles = spec.nodeTypes[input.type];
  if (!roles) fieldErrors.type = [`${spec.label} node types are: ${Object.keys(spec.nodeTypes).join(", ")}`];
  else if (!roles.includes(input.role)) fieldErrors.role = [`a ${input.type} takes the role ${roles.map((r) => r || "(none)").join(" or ")}`];
  if (roles && spec.groupedTypes.includes(input.type) && !input.groupId) fieldErrors.groupId = [`a ${input.type} must belong to a group`];
  let groupName = "";
  if (input.groupId) {
    const group = await tx.nodeGroup.findUnique({ where: { id: input.groupId } });
    if (!group || group.clusterId !== cluster.id) fieldErrors.groupId = [`not a group of cluster ${cluster.name}`];
    else groupName = group.name;
  }
  const host = await tx.host.findUnique({ where: { id: input.hostId } });
  if (!host) fieldErrors.hostId = ["this host does not exist"];
  if (Object.keys(fieldErrors).length) return { code: "VALIDATION", message: "Some fields need attention.", fieldErrors };
  const clash = await tx.node.findFirst({ where: { clusterId: cluster.id, name: input.name, ...(selfId ? { NOT: { id: selfId } } : {}) } });
  if (clash) return fieldConflict("name", `Cluster ${cluster.name} already has a node named "${input.name}".`);
  return { clusterName: cluster.name, hostName: host!.name, groupName };
}

export const createNode = defineAction({
  name: "node.create",
  permission: "inventory:write",
  input: nodeFields,
  async run({ tx, audit }, input) {
    const checked = await checkNode(tx, input);
    if ("code" in checked) return fail(checked);
    const node = await tx.node.create({ data: { ...input, groupId: input.groupId ?? null } });
    await audit({
      action: "node.create",
      clusterId: input.clusterId,
      clusterName: checked.clusterName,
      hostId: input.hostId,
      hostName: checked.hostName,
      nodeId: node.id,
      nodeName: node.name,
      payload: { type: input.type, role: input.role, group: checked.groupName },
    });
    return ok({ id: node.id });
  },
});

export const updateNode = defineAction({
  name: "node.update",
  permission: "inventory:write",
  input: nodeFields.extend({ id: idField }),
  async run({ tx, audit }, { id, ...input }) {
    const before = await tx.node.findUnique({ where: { id } });
    if (!before || before.clusterId !== input.clusterId) return fail(notFound("This node"));
    const checked = await checkNode(tx, input, id);
    if ("code" in checked) return fail(checked);
    await tx.node.update({ where: { id }, data: { ...input, groupId: input.groupId ?? null } });
    await audit({
      action: "node.update",
      clusterId: input.clusterId,
      clusterName: checked.clusterName,
      hostId: input.hostId,
      hostName: checked.hostName,
      nodeId: id,
      nodeName: input.name,
      payload: { before: { name: before.name, type: before.type, role: before.role, hostId: before.hostId, groupId: before.groupId }, after: input },
    });
    return ok({ id });
  },
});

export const deleteNode = defineAction({
  name: "node.delete",
  permission: "inventory:write",
  input: z.object({ id: idField }),
  async run({ tx, audit }, { id }) {
    const node = await tx.node.findUnique({ where: { id }, include: { cluster: true, host: true } });
    if (!node) return fail(notFound("This node"));
    await tx.node.delete({ where: { id } });
    await audit({
      action: "node.delete",
      clusterId: node.clusterId,
      clusterName: node.cluster.name,
      hostId: node.hostId,
      hostName: node.host.name,
      nodeId: id,
      nodeName: node.name,
      payload: { type: node.type, role: node.role },
    });
    return ok({ id });
  },
});
