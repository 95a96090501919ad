// A bound host selector + the cluster's inventory → the one host a step runs on, or why there is none.
import type { BoundSelector } from "./bind";
import type { InventoryNode } from "./model";
import type { PlanHost } from "./plan-schema";

export type HostResolution = { ok: true; host: PlanHost } | { ok: false; message: string };

export function describeSelector(selector: BoundSelector): string {
  if ("node" in selector) return `node ${selector.node}`;
  if ("host" in selector) return `host ${selector.host}`;
  const parts = Object.entries(selector.where).map(([key, value]) => `${key} ${value ?? "(none)"}`);
  return parts.length > 0 ? `nodes with ${parts.join(", ")}` : "any node";
}

function matches(node: InventoryNode, where: Extract<BoundSelector, { where: unknown }>["where"]): boolean {
  return (
    (where.type === undefined || node.type === where.type) &&
    (where.role === undefined || node.role === where.role) &&
    (where.group === undefined || node.group === where.group)
  );
}

function hostOf(nodes: readonly InventoryNode[], hostName: string): PlanHost {
  const onHost = nodes.filter((n) => n.hostName === hostName);
  const first = onHost[0];
  return { hostName, hostAddress: first?.hostAddress ?? "", nodeName: onHost.length === 1 && first ? first.name : null };
}

export function resolveHost(selector: BoundSelector, nodes: readonly InventoryNode[]): HostResolution {
  if ("node" in selector) {
    const node = nodes.find((n) => n.name === selector.node);
    if (!node) return { ok: false, message: `${describeSelector(selector)} matches no host: ${selector.node} is not a node of this cluster` };
    return { ok: true, host: { hostName: node.hostName, hostAddress: node.hostAddress, nodeName: node.name } };
  }
  if ("host" in selector) {
    if (!nodes.some((n) => n.hostName === selector.host)) {
      return { ok: false, message: `${describeSelector(selector)} matches no host of this cluster` };
    }
    return { ok: true, host: hostOf(nodes, selector.host) };
  }
  const matched = nodes.filter((n) => matches(n, selector.where));
  const hostNames = [...new Set(matched.map((n) => n.hostName))];
  const first = matched[0];
  if (!first) return { ok: false, message: `${describeSelector(selector)} matches no host` };
  if (hostNames.length > 1 && selector.pick === "only") {
    return { ok: false, message: `${describeSelector(selector)} matches ${hostNames.length} hosts (${hostNames.join(", ")}); expected one` };
  }
  const onChosenHost = matched.filter((n) => n.hostName === first.hostName);
  return {
    ok: true,
    host: { hostName: first.hostName, hostAddress: first.hostAddress, nodeName: onChosenHost.length === 1 ? first.name : null },
  };
}
