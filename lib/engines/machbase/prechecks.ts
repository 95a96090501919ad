// Assertions over `--cluster-status-full` tables for the seed's procedures. Each answers ok or a reason
// a DBA can act on; none touches a host. Wait-until steps call the same functions on every poll.
import { hostPort } from "../../inventory/fields";
import { groupStateText, nodeStateText, nodeTypeText, rpStateText } from "./render";
import { fieldValue } from "./parse";
import { isUnrecognized, type AdminOutput, type FullStatusTable, type KnownNodeType, type StatusRow } from "./types";

export type Check = { ok: true } | { ok: false; reason: string };

const OK: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });

/** Roles a serving node holds; anything else (unknown, scrapped, shutdown, sync-*) is not serving. */
const SERVING_ROLES = new Set(["primary", "normal", "leader"]);

function stateOf(row: StatusRow): string {
  const desired = nodeStateText(row.desiredState);
  const actual = nodeStateText(row.actualState);
  return desired === actual ? actual : `desired ${desired}, actual ${actual}`;
}

function describe(row: StatusRow): string {
  return `${nodeTypeText(row.nodeType)} ${row.nodeName} (${stateOf(row)})`;
}

/** desired = actual, and a role that serves. */
export function isServing(row: StatusRow): boolean {
  return (
    typeof row.desiredState === "string" &&
    row.desiredState === row.actualState &&
    SERVING_ROLES.has(row.actualState as string)
  );
}

function rowProblem(row: StatusRow): string | null {
  const unrecognized = [row.nodeType, row.groupState, row.desiredState, row.actualState, row.rpState].filter(isUnrecognized);
  if (unrecognized.length > 0) return `${row.nodeName} shows values the seed never names: ${unrecognized.map((u) => u.unrecognized).join(", ")}`;
  if (!isServing(row)) return describe(row);
  return null;
}

/** Every node as desired and serving, every group normal. */
export function clusterHealthy(table: FullStatusTable): Check {
  if (table.rows.length === 0) return fail("the status table lists no nodes");
  const problems = table.rows.flatMap((row) => rowProblem(row) ?? []);
  const readonly = [...new Set(table.rows.filter((r) => groupStateText(r.groupState) !== "normal").map((r) => `${r.groupName} ${groupStateText(r.groupState)}`))];
  const all = [...problems, ...readonly];
  return all.length === 0 ? OK : fail(`cluster not healthy: ${all.join("; ")}`);
}

// ---- nodes -----------------------------------------------------------------------------------------

export type NodeLookup = { ok: true; row: StatusRow } | { ok: false; reason: string };

/** The node is `host:port` and a row of this cluster's table (optionally of the given types). */
export function findNode(table: FullStatusTable, node: string, types?: readonly KnownNodeType[]): NodeLookup {
  if (!hostPort.safeParse(node).success) return { ok: false, reason: `'${node}' is not a node name: expected host:port, e.g. localhost:30410` };
  const row = table.rows.find((r) => r.nodeName === node);
  if (!row) {
    const names = table.rows.filter((r) => !types || types.includes(nodeTypeText(r.nodeType) as KnownNodeType)).map((r) => r.nodeName);
    return { ok: false, reason: `${node} is not a node of this cluster (${types ? types.join("/") + " nodes" : "nodes"}: ${names.join(", ") || "none"})` };
  }
  if (types && !types.includes(nodeTypeText(row.nodeType) as KnownNodeType)) {
    return { ok: false, reason: `${node} is a ${nodeTypeText(row.nodeType)}, expected a ${types.join(" or ")}` };
  }
  return { ok: true, row };
}

export function nodeExists(table: FullStatusTable, node: string, types?: readonly KnownNodeType[]): Check {
  const found = findNode(table, node, types);
  return found.ok ? OK : found;
}

/** Snapshot recovery applies only to a warehouse the coordinator has scrapped. */
export function nodeScrapped(table: FullStatusTable, node: string): Check {
  const found = findNode(table, node, ["warehouse"]);
  if (!found.ok) return found;
  if (found.row.desiredState !== "scrapped") {
    return fail(`${node} is not scrapped (${stateOf(found.row)}); snapshot recovery only applies to a scrapped warehouse`);
  }
  return OK;
}

/**
 * `--snapshot-recover` needs the scrapped warehouse running again: actual `scrapped`, not `**unknown**`
 * (seed: "죽은 Warehouse를 다시 startup 수행한다" before recovering).
 */
export function scrappedNodeRestarted(table: FullStatusTable, node: string): Check {
  const scrapped = nodeScrapped(table, node);
  if (!scrapped.ok) return scrapped;
  const actual = findNode(table, node);
  if (actual.ok && actual.row.actualState !== "scrapped") {
    return fail(`${node} is scrapped but not running (actual ${nodeStateText(actual.row.actualState)}); start it and wait until it shows scrapped/scrapped`);
  }
  return OK;
}

/** The source of the replication: another warehouse of the same group that serves. */
export function groupHasHealthyPeer(table: FullStatusTable, node: string): Check {
  const found = findNode(table, node, ["warehouse"]);
  if (!found.ok) return found;
  const peers = table.rows.filter((r) => r.nodeType === "warehouse" && r.groupName === found.row.groupName && r.nodeName !== node);
  if (peers.some(isServing)) return OK;
  const seen = peers.length > 0 ? `: ${peers.map(describe).join(", ")}` : " (it is the only warehouse)";
  return fail(`no healthy warehouse left in ${found.row.groupName} besides ${node}${seen}; snapshot recovery needs one to replicate from`);
}

/** After the coordinator upgrade: the restarted coordinator is primary again. */
export function coordinatorPrimary(table: FullStatusTable, node: string): Check {
  const found = findNode(table, node, ["coordinator"]);
  if (!found.ok) return found;
  const { row } = found;
  if (row.desiredState === "primary" && row.actualState === "primary") return OK;
  const primary = table.rows.find((r) => r.nodeType === "coordinator" && r.actualState === "primary");
  return fail(`coordinator ${node} is not primary (${stateOf(row)})${primary ? `; ${primary.nodeName} is primary` : "; no coordinator is primary"}`);
}

/** After a rolling step (or a deployer restart): desired = actual and a serving role (normal / leader / primary). */
export function nodeBackInRole(table: FullStatusTable, node: string): Check {
  const found = findNode(table, node);
  if (!found.ok) return found;
  return isServing(found.row) ? OK : fail(`${describe(found.row)} is not back yet: waiting for desired = actual = normal or leader`);
}

/** A node may be stopped for a rolling step only while its peers serve: the rest of its warehouse group, or another broker. */
export function safeToStop(table: FullStatusTable, node: string): Check {
  const found = findNode(table, node, ["broker", "warehouse"]);
  if (!found.ok) return found;
  const { row } = found;
  const peers = table.rows.filter((r) =>
    r.nodeName !== node && r.nodeType === row.nodeType && (row.nodeType !== "warehouse" || r.groupName === row.groupName),
  );
  if (peers.length === 0) return fail(`${node} has no peer to serve while it is stopped`);
  const down = peers.filter((r) => !isServing(r));
  if (down.length > 0) return fail(`${node} cannot be stopped now: its peer ${down.map(describe).join(", ")} is not serving; wait until it is back`);
  return OK;
}

// ---- DDL (`--cluster-node`) ---------------------------------------------------------------------------

export type DdlCheck = { ok: true } | { ok: false; reason: string; attestable: boolean };

/**
 * Seed: no DDL or DELETE may run during a coordinator/deployer upgrade. The lab's `--cluster-node`
 * prints `DDL Status : idle|running`; a tool that prints no such field cannot be probed, so the
 * answer is "attestable": the wizard asks a DBA to attest instead (DELETE is never probeable).
 */
export function noDdlRunning(output: AdminOutput): DdlCheck {
  const [toolError] = output.errors;
  if (toolError !== undefined) return { ok: false, reason: `machcoordinatoradmin --cluster-node: ${toolError}`, attestable: false };
  const status = fieldValue(output, "DDL Status");
  if (status === undefined) {
    return { ok: false, reason: "this Machbase does not report running DDL: a DBA must confirm no DDL or DELETE is running", attestable: true };
  }
  if (status === "idle") return { ok: true };
  if (status === "running") {
    const statement = fieldValue(output, "DDL Statement");
    const since = fieldValue(output, "DDL Since");
    const what = statement ? `: ${statement}${since ? ` (since ${since})` : ""}` : "";
    return { ok: false, reason: `a DDL is running${what}; wait until it finishes before the upgrade`, attestable: false };
  }
  return { ok: false, reason: `unrecognized DDL Status '${status}'`, attestable: false };
}

// ---- groups ------------------------------------------------------------------------------------------

function groupRows(table: FullStatusTable, group: string): StatusRow[] {
  return table.rows.filter((r) => r.groupName === group);
}

function groupIs(table: FullStatusTable, group: string, state: "normal" | "readonly"): Check {
  const rows = groupRows(table, group);
  if (rows.length === 0) return fail(`group ${group} is not in this cluster`);
  const [other] = rows.filter((r) => groupStateText(r.groupState) !== state);
  return other ? fail(`group ${group} is ${groupStateText(other.groupState)}, not ${state}`) : OK;
}

export function groupNormal(table: FullStatusTable, group: string): Check {
  return groupIs(table, group, "normal");
}

export function groupReadonly(table: FullStatusTable, group: string): Check {
  return groupIs(table, group, "readonly");
}

/** Warehouse groups in table order: "every group in turn" for a manual snapshot of the whole cluster. */
export function warehouseGroups(table: FullStatusTable): string[] {
  return [...new Set(table.rows.filter((r) => r.nodeType === "warehouse").map((r) => r.groupName))];
}

/** A snapshot records data all warehouses of the group agree on, so each must serve (the lab refuses otherwise). */
export function groupSnapshotReady(table: FullStatusTable, group: string): Check {
  const warehouses = table.rows.filter((r) => r.nodeType === "warehouse" && r.groupName === group);
  if (warehouses.length === 0) return fail(`group ${group} has no warehouse in this cluster (groups: ${warehouseGroups(table).join(", ") || "none"})`);
  const notServing = warehouses.filter((r) => !isServing(r) || r.rpState === "running");
  if (notServing.length === 0) return OK;
  return fail(`cannot snapshot ${group} now: ${notServing.map((r) => `${describe(r)}${r.rpState === "running" ? " syncing" : ""}`).join(", ")}`);
}

export function groupOf(table: FullStatusTable, node: string): string | null {
  return table.rows.find((r) => r.nodeName === node)?.groupName ?? null;
}

// ---- replication (exec-sync) ---------------------------------------------------------------------------

/** The node's RP states over successive tables, repeats collapsed: e.g. stopped → running → stopped. */
export function rpStates(tables: readonly FullStatusTable[], node: string): string[] {
  const states: string[] = [];
  for (const table of tables) {
    const row = table.rows.find((r) => r.nodeName === node);
    if (!row) continue;
    const state = rpStateText(row.rpState);
    if (states[states.length - 1] !== state) states.push(state);
  }
  return states;
}

/** The seed's exec-sync sequence was observed: RP running, then stopped. */
export function sawRunningThenStopped(tables: readonly FullStatusTable[], node: string): boolean {
  const states = rpStates(tables, node);
  const running = states.indexOf("running");
  return running >= 0 && states.indexOf("stopped", running) > running;
}

/**
 * The wait after `--exec-sync`: done when the latest table shows the node normal/normal with RP
 * stopped (seed: "replication이 끝나면 warehouse 의 상태는 normal로 자동 변경"). A sync short enough
 * to fall between two polls is done too; a node that died on the way is reported as such.
 */
export function syncFinished(tables: readonly FullStatusTable[], node: string): Check {
  const latest = tables[tables.length - 1];
  if (!latest) return fail("no status table observed yet");
  const found = findNode(latest, node, ["warehouse"]);
  if (!found.ok) return found;
  const { row } = found;
  if (row.actualState === "unknown") return fail(`${node} went down during the sync (${stateOf(row)}); restart it, then recover it again`);
  if (row.rpState === "running") return fail(`sync running: ${node} ${stateOf(row)}, RP running`);
  if (row.desiredState === "normal" && row.actualState === "normal" && row.rpState === "stopped") return OK;
  if (row.desiredState === "scrapped") return fail(`sync not started yet: ${node} still ${stateOf(row)}, RP ${rpStateText(row.rpState)}`);
  return fail(`${node} is ${stateOf(row)} with RP ${rpStateText(row.rpState)}; waiting for normal with RP stopped`);
}

// ---- rolling upgrade order ----------------------------------------------------------------------------

export type RollingStep = { node: string; type: "warehouse" | "broker"; group: string };
export type RollingOrder = { ok: true; steps: RollingStep[] } | { ok: false; reason: string };

/**
 * Warehouses group by group (groups in table order), then brokers with the leader last, so the
 * cluster keeps its leader for as long as possible. `selected` (default: every broker and warehouse)
 * only filters; the order is always this one.
 */
export function rollingOrder(table: FullStatusTable, selected?: readonly string[]): RollingOrder {
  if (selected) {
    for (const node of selected) {
      const found = findNode(table, node, ["broker", "warehouse"]);
      if (!found.ok) return found;
    }
    if (new Set(selected).size !== selected.length) return { ok: false, reason: "a node is chosen twice" };
  }
  const chosen = (row: StatusRow) => !selected || selected.includes(row.nodeName);
  const warehouses = table.rows.filter((r) => r.nodeType === "warehouse" && chosen(r));
  const groups = [...new Set(warehouses.map((r) => r.groupName))];
  const brokers = table.rows.filter((r) => r.nodeType === "broker" && chosen(r));
  const isLeader = (r: StatusRow) => r.desiredState === "leader" || r.actualState === "leader";
  const steps: RollingStep[] = [
    ...groups.flatMap((g) => warehouses.filter((r) => r.groupName === g)).map((r) => ({ node: r.nodeName, type: "warehouse" as const, group: r.groupName })),
    ...[...brokers.filter((r) => !isLeader(r)), ...brokers.filter(isLeader)].map((r) => ({ node: r.nodeName, type: "broker" as const, group: r.groupName })),
  ];
  return steps.length > 0 ? { ok: true, steps } : { ok: false, reason: "no broker or warehouse to upgrade" };
}
