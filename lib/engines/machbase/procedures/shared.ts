// What the Machbase procedures share: reading the admin tools' output inside assertions, the host the
// coordinator's commands run on, and checks of parameters against the cluster's inventory (the schema
// cannot see the inventory, so such errors come back as a refused command naming the field).
import type { ArgvBuild, HostSelector, InventoryNode, ParseOutcome, ProbeOutput } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import { parseAdminOutput, parseEndpoint, parseGroupState, parseNodeState, parseNodeType } from "../parse";
import type { AdminOutput, FullStatusTable, KnownNodeType } from "../types";

export const STATUS_POLL_MS = 2_000;

/** Every coordinator command of the seed runs "on the Coordinator": the primary's host. */
export function onPrimaryCoordinator<S>(): HostSelector<S> {
  return { where: { type: "coordinator", role: "primary" } };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** The tool's output in typed form; a non-zero exit with nothing parseable is a reason. */
export function adminOutput(output: ProbeOutput): ParseOutcome<AdminOutput> {
  const parsed = parseAdminOutput(output.stdout);
  if (!parsed.ok) return { ok: false, reason: `unreadable output (line ${parsed.error.lineNumber}): ${parsed.error.message}` };
  if (output.exitCode !== 0 && parsed.value.errors.length === 0) {
    const detail = firstLine(output.stderr) || firstLine(output.stdout);
    return { ok: false, reason: `the command exited ${output.exitCode}${detail ? `: ${detail}` : ""}` };
  }
  return { ok: true, value: parsed.value };
}

/** `--cluster-status-full` → its table. */
export function statusTable(output: ProbeOutput): ParseOutcome<FullStatusTable> {
  const parsed = adminOutput(output);
  if (!parsed.ok) return parsed;
  const [toolError] = parsed.value.errors;
  if (toolError !== undefined) return { ok: false, reason: `machcoordinatoradmin: ${toolError}` };
  const table = parsed.value.tables.find((t): t is FullStatusTable => t.layout === "full");
  if (!table) return { ok: false, reason: "the cluster status printed no status table" };
  if (table.rows.length === 0) return { ok: false, reason: "the status table lists no nodes" };
  return { ok: true, value: table };
}

/** The inventory as a status table in its intended state, for the order rules that take a table. */
export function inventoryTable(nodes: readonly InventoryNode[]): FullStatusTable {
  return {
    layout: "full",
    extraColumns: [],
    rows: nodes.map((n) => ({
      nodeType: parseNodeType(n.type),
      nodeName: n.name,
      endpoint: parseEndpoint(n.name),
      groupName: n.group ?? n.type,
      groupState: parseGroupState("normal"),
      desiredState: parseNodeState(n.role),
      actualState: parseNodeState(n.role),
      rpState: "none",
      extra: [],
    })),
  };
}

export type NodeGuard = { ok: true; node: InventoryNode } | { ok: false; field: string; message: string };

/** A node named in the parameters is one of this cluster's nodes, of one of the given types. */
export function clusterNode(nodes: readonly InventoryNode[], field: string, name: string, types: readonly KnownNodeType[]): NodeGuard {
  const node = nodes.find((n) => n.name === name);
  const kinds = types.join(" or ");
  if (!node) {
    const known = nodes.filter((n) => types.some((t) => t === n.type)).map((n) => n.name);
    return { ok: false, field, message: `${name} is not a node of this cluster (${kinds} nodes: ${known.join(", ") || "none"})` };
  }
  if (!types.some((t) => t === node.type)) return { ok: false, field, message: `${name} is a ${node.type}, expected a ${kinds}` };
  return { ok: true, node };
}

/** Builds the argv only once the guard passed. */
export function guarded(guard: NodeGuard | { ok: true }, build: () => ArgvBuild): ArgvBuild {
  return guard.ok ? build() : guard;
}

/** A home directory from the cluster's settings (MACH_COORDINATOR_HOME / MACH_DEPLOYER_HOME). */
export function settingPath(settings: ProbeTarget["settings"], key: string): { ok: true; path: string } | { ok: false; field: string; message: string } {
  const value = settings[key];
  if (typeof value !== "string" || value === "") return { ok: false, field: key, message: "not set in the cluster's settings" };
  return { ok: true, path: value };
}
