// Machbase status probe: `machcoordinatoradmin --cluster-status-full` on a coordinator's host (the
// primary first, then the others), plus `--configuration` for the automatic snapshot interval.
import { judge, runCommand, unreadable, type HostError } from "../../status/health";
import type { ClusterObservation, ObservedNode, ProbeTarget, Prober, RemoteRunner } from "../../status/types";
import { configurationEntries, parseAdminOutput, snapshotIntervalSec } from "./parse";
import { groupStateText, nodeStateText, nodeTypeText, rpStateText } from "./render";
import { isUnrecognized, type AdminOutput, type ConfigEntry, type FullStatusTable, type StatusRow } from "./types";

export const STATUS_ARGV = ["machcoordinatoradmin", "--cluster-status-full"];
export const CONFIGURATION_ARGV = ["machcoordinatoradmin", "--configuration"];

export type MachbasePanel = {
  coordinatorHost: string;
  releaseVersion: string | null;
  snapshotIntervalSec: number | null;
  configuration: ConfigEntry[];
  /** Parser warnings about the table as a whole (extra columns …). */
  warnings: string[];
};

/** Coordinators to ask, primary first; hosts only once. */
function coordinatorHosts(target: ProbeTarget): string[] {
  const coordinators = target.nodes.filter((n) => n.type === "coordinator");
  const ordered = [...coordinators.filter((n) => n.role === "primary"), ...coordinators.filter((n) => n.role !== "primary")];
  return [...new Set(ordered.map((n) => n.hostName))];
}

type Answer = { host: string; output: AdminOutput; table: FullStatusTable };

async function askStatus(run: RemoteRunner, host: string): Promise<Answer | string> {
  // Exit 1 carries the tool's own `[ERROR] …` line, which says more than the exit code.
  const result = await runCommand(run, host, STATUS_ARGV, { acceptExit: [1] });
  if (!result.ok) return result.message;
  if (result.stdout.trim() === "") return `machcoordinatoradmin printed nothing${result.stderr.trim() ? `: ${result.stderr.trim()}` : ""}`;
  const parsed = parseAdminOutput(result.stdout);
  if (!parsed.ok) return unreadable("machcoordinatoradmin --cluster-status-full", parsed.error);
  const [toolError] = parsed.value.errors;
  if (toolError !== undefined) return `machcoordinatoradmin: ${toolError}`;
  if (result.exitCode !== 0) return `machcoordinatoradmin exited with ${result.exitCode}`;
  const tables = parsed.value.tables.filter((t): t is FullStatusTable => t.layout === "full");
  const [table] = tables;
  if (!table || tables.length > 1) return `machcoordinatoradmin --cluster-status-full printed ${tables.length} status tables, expected one`;
  return { host, output: parsed.value, table };
}

function rowFlags(row: StatusRow): string[] {
  const flags: string[] = [];
  const check = (what: string, value: unknown) => {
    if (isUnrecognized(value)) flags.push(`unrecognized ${what} '${value.unrecognized}'`);
  };
  check("node type", row.nodeType);
  check("group state", row.groupState);
  check("desired state", row.desiredState);
  check("actual state", row.actualState);
  check("RP state", row.rpState);
  if (!row.endpoint) flags.push(`node name is not host:port: ${row.nodeName}`);
  return flags;
}

// A node shut down on purpose (desired = actual = shutdown) still serves nothing, so it counts too.
const NOT_SERVING = new Set(["unknown", "scrapped", "shutdown"]);

/** Desired ≠ actual, a node not serving (unknown, scrapped, shut down), a readonly group, or a value the seed never shows. */
function rowMismatch(row: StatusRow): boolean {
  const desired = nodeStateText(row.desiredState);
  const actual = nodeStateText(row.actualState);
  const unrecognized = [row.nodeType, row.groupState, row.desiredState, row.actualState, row.rpState].some(isUnrecognized);
  const notServing = typeof row.actualState === "string" && NOT_SERVING.has(row.actualState);
  return desired !== actual || notServing || row.groupState === "readonly" || unrecognized;
}

export function observedNodes(table: FullStatusTable): ObservedNode[] {
  return table.rows.map((row) => ({
    name: row.nodeName,
    type: nodeTypeText(row.nodeType),
    group: row.groupName,
    groupState: groupStateText(row.groupState),
    desired: nodeStateText(row.desiredState),
    actual: nodeStateText(row.actualState),
    rpState: rpStateText(row.rpState),
    mismatch: rowMismatch(row),
    detail: Object.fromEntries(table.extraColumns.map((column, i) => [column, row.extra[i] ?? ""])),
    flags: rowFlags(row),
  }));
}

/** "warehouse localhost:30410 scrapped/**unknown**", then "group1 readonly", once per group. */
export function problemsOf(nodes: readonly ObservedNode[]): string[] {
  const problems: string[] = [];
  for (const n of nodes) {
    if (!n.mismatch) continue;
    const state = n.desired === n.actual ? `${n.actual}` : `desired ${n.desired}, actual ${n.actual}`;
    // A row whose only fault is its readonly group is named once, by the group, below.
    if (n.desired !== n.actual || ["**unknown**", "scrapped", "shutdown"].includes(n.actual ?? "") || n.flags.length > 0) {
      problems.push(`${n.type} ${n.name} ${state}${n.flags.length > 0 ? ` (${n.flags.join(", ")})` : ""}`);
    }
  }
  const readonly = [...new Set(nodes.filter((n) => n.groupState === "readonly").map((n) => n.group))];
  for (const g of readonly) problems.push(`${g} readonly`);
  return problems;
}

async function configurationPanel(run: RemoteRunner, answer: Answer, errors: HostError[]): Promise<MachbasePanel> {
  const panel: MachbasePanel = {
    coordinatorHost: answer.host,
    releaseVersion: answer.output.banner?.releaseVersion ?? null,
    snapshotIntervalSec: null,
    configuration: [],
    warnings: answer.output.warnings.map((w) => `line ${w.lineNumber}: ${w.message}`),
  };
  const result = await runCommand(run, answer.host, CONFIGURATION_ARGV);
  if (!result.ok) {
    errors.push({ host: answer.host, message: `--configuration: ${result.message}` });
    return panel;
  }
  const parsed = parseAdminOutput(result.stdout);
  if (!parsed.ok) {
    errors.push({ host: answer.host, message: unreadable("machcoordinatoradmin --configuration", parsed.error) });
    return panel;
  }
  return { ...panel, snapshotIntervalSec: snapshotIntervalSec(parsed.value), configuration: configurationEntries(parsed.value) };
}

export const probeMachbase: Prober = async (target, run) => {
  const errors: HostError[] = [];
  const hosts = coordinatorHosts(target);
  if (hosts.length === 0) return { health: "unknown", reason: "no coordinator in the inventory", nodes: [], panels: {}, errors };
  let answer: Answer | undefined;
  for (const host of hosts) {
    const asked = await askStatus(run, host);
    if (typeof asked !== "string") {
      answer = asked;
      break;
    }
    errors.push({ host, message: asked });
  }
  if (!answer) {
    return { health: "down", reason: `no coordinator answered: ${errors.map((e) => `${e.host}: ${e.message}`).join("; ")}`, nodes: [], panels: {}, errors };
  }
  const nodes = observedNodes(answer.table);
  const panel = await configurationPanel(run, answer, errors);
  if (nodes.length === 0) {
    return { health: "unknown", reason: `the status table from ${answer.host} lists no nodes`, nodes, panels: { machbase: panel }, errors };
  }
  const verdict = judge(problemsOf(nodes), errors, `all ${nodes.length} nodes as desired; every group normal`);
  const observation: ClusterObservation = { ...verdict, nodes, panels: { machbase: panel }, errors };
  return observation;
};
