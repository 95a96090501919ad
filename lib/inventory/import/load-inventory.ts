import type { Tx } from "@/lib/db";
import type { ClusterInventory } from "./diff";

/** The cluster's groups and nodes, and every host of the estate (a new node may run on any of them). */
export async function loadClusterInventory(tx: Tx, clusterId: string): Promise<ClusterInventory & { groupIds: Map<string, string> }> {
  const groups = await tx.nodeGroup.findMany({ where: { clusterId }, select: { id: true, name: true } });
  const nodes = await tx.node.findMany({
    where: { clusterId },
    select: { name: true, type: true, role: true, hostId: true, group: { select: { name: true } } },
  });
  const hosts = await tx.host.findMany({ select: { id: true, name: true, address: true } });
  return {
    groups: groups.map((g) => g.name),
    groupIds: new Map(groups.map((g) => [g.name, g.id])),
    nodes: nodes.map((n) => ({ name: n.name, type: n.type, role: n.role, hostId: n.hostId, group: n.group?.name ?? null })),
    hosts,
  };
}
