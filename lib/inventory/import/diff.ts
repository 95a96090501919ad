// A plan compared with the cluster's inventory: what an import would create, what is already there,
// what disagrees (left alone), and which new nodes have no host Keel can match by address. Pure.
import type { ImportPlan, PlannedNode } from "./types";

export type InventoryHost = { id: string; name: string; address: string };
export type InventoryNode = { name: string; type: string; role: string; group: string | null; hostId: string };
export type ClusterInventory = { groups: string[]; nodes: InventoryNode[]; hosts: InventoryHost[] };

export type HostMatch =
  | { matched: true; hostId: string; hostName: string; address: string }
  | { matched: false; address: string | null; reason: string };

export type NodeToCreate = PlannedNode & { host: HostMatch };
export type ConflictingNode = PlannedNode & { inventory: { type: string; role: string; group: string | null }; differences: string[] };

export type ImportDiff = {
  createGroups: string[];
  presentGroups: string[];
  createNodes: NodeToCreate[];
  presentNodes: PlannedNode[];
  conflictingNodes: ConflictingNode[];
  /** Names of createNodes whose host must be picked (default: the host the command ran on). */
  needsHost: string[];
  warnings: string[];
};

const HOST_PORT = /^(.+):(\d{1,5})$/;

/** Where a node runs, as printed: its address, else the host part of a host:port name. */
export function addressOf(node: Pick<PlannedNode, "name" | "hostAddress">): string | null {
  return node.hostAddress ?? HOST_PORT.exec(node.name)?.[1] ?? null;
}

/**
 * A host whose address is the node's. Several hosts may share an address (other ports or users): then
 * the host the command ran on wins if it is one of them, else a host already serving this cluster.
 */
export function matchHost(address: string | null, inventory: ClusterInventory, sourceHostId: string): HostMatch {
  if (address === null) return { matched: false, address, reason: "the output names no address for this node" };
  const candidates = inventory.hosts.filter((h) => h.address.toLowerCase() === address.toLowerCase());
  const used = new Set(inventory.nodes.map((n) => n.hostId));
  const serving = candidates.filter((h) => used.has(h.id));
  const pick =
    candidates.length === 1
      ? candidates[0]
      : (candidates.find((h) => h.id === sourceHostId) ?? (serving.length === 1 ? serving[0] : undefined));
  if (pick) return { matched: true, hostId: pick.id, hostName: pick.name, address };
  if (candidates.length === 0) return { matched: false, address, reason: `no inventory host has the address ${address}` };
  return { matched: false, address, reason: `${candidates.length} inventory hosts have the address ${address} (${candidates.map((h) => h.name).join(", ")})` };
}

function differencesOf(planned: PlannedNode, existing: InventoryNode): string[] {
  const out: string[] = [];
  if (planned.type !== existing.type) out.push(`type: inventory ${existing.type}, output ${planned.type}`);
  if (planned.group !== existing.group) out.push(`group: inventory ${existing.group ?? "(none)"}, output ${planned.group ?? "(none)"}`);
  return out;
}

export function diffPlan(plan: ImportPlan, inventory: ClusterInventory, sourceHostId: string): ImportDiff {
  const diff: ImportDiff = {
    createGroups: plan.groups.filter((g) => !inventory.groups.includes(g)),
    presentGroups: plan.groups.filter((g) => inventory.groups.includes(g)),
    createNodes: [],
    presentNodes: [],
    conflictingNodes: [],
    needsHost: [],
    warnings: [...plan.warnings],
  };
  for (const node of plan.nodes) {
    const existing = inventory.nodes.find((n) => n.name === node.name);
    if (!existing) {
      const host = matchHost(addressOf(node), inventory, sourceHostId);
      diff.createNodes.push({ ...node, host });
      if (!host.matched) diff.needsHost.push(node.name);
      continue;
    }
    const differences = differencesOf(node, existing);
    if (differences.length > 0) {
      diff.conflictingNodes.push({ ...node, inventory: { type: existing.type, role: existing.role, group: existing.group }, differences });
      continue;
    }
    // A role that moved (a failover) is state, not a different node: reported, never changed by an import.
    if (node.role !== existing.role) diff.warnings.push(`${node.type} '${node.name}': the inventory says role ${existing.role || "(none)"}, the output ${node.role || "(none)"}; left as it is`);
    diff.presentNodes.push(node);
  }
  return diff;
}

/** What differs between the node names a person confirmed and the ones the output lists now. */
export function nameChanges(confirmed: readonly string[], now: readonly string[]): { added: string[]; removed: string[] } {
  return {
    added: now.filter((n) => !confirmed.includes(n)),
    removed: confirmed.filter((n) => !now.includes(n)),
  };
}
