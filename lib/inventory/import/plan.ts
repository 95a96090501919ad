// A cluster's own status output → the groups and nodes Keel would create for it. Pure: the parsers
// already turn garbled output into an error naming the line; here rows become Keel node types/roles.
import { parseGcadmin } from "@/lib/engines/gbase/parse-gcadmin";
import { parseAdminOutput } from "@/lib/engines/machbase/parse";
import { isUnrecognized, type NodeState, type NodeType, type StatusTable } from "@/lib/engines/machbase/types";
import { parseGroupRequest, parseShowAll, splitLines } from "@/lib/engines/tibero/parse-cmrctl";
import type { CmNodeResources, CmShowAllParsed, ParseResult } from "@/lib/engines/tibero/types";
import { planBuilder } from "./plan-builder";
import type { PlanResult } from "./types";

const failed = (message: string, line = "", lineNumber = 0): PlanResult => ({ ok: false, error: { message, line, lineNumber } });

// ---- Machbase: machcoordinatoradmin --cluster-status(-full) ------------------------------------------

const typeText = (t: NodeType): string => (isUnrecognized(t) ? t.unrecognized : t);
const stateText = (s: NodeState): string => (isUnrecognized(s) ? s.unrecognized : s);

/** The configured role: the desired state names it (an actual state may be a transient failure). */
function machbaseRole(type: string, desired: string): string {
  if (type === "coordinator") return desired === "primary" ? "primary" : "normal";
  if (type === "broker") return desired === "leader" ? "leader" : "normal";
  return "normal";
}

/** Both layouts as rows with the state that names the role (desired in the full layout, the only one in the short). */
function roleRows(table: StatusTable): { nodeType: NodeType; nodeName: string; groupName: string; roleState: NodeState }[] {
  if (table.layout === "full") return table.rows.map((r) => ({ ...r, roleState: r.desiredState }));
  return table.rows.map((r) => ({ ...r, roleState: r.state }));
}

/** Rows carry no line numbers; the last printed row with that name is the one the last table holds. */
function rowLineNumber(lines: readonly string[], nodeName: string): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const cells = (lines[i] ?? "").split("|").map((c) => c.trim());
    if (cells[2] === nodeName) return i + 1;
  }
  return 0;
}

export function planFromMachbase(output: string): PlanResult {
  const parsed = parseAdminOutput(output);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const lines = output.split(/\r?\n/);
  const [toolError] = parsed.value.errors;
  if (toolError !== undefined) {
    const at = lines.findIndex((l) => /^\s*\[ERROR\]/.test(l));
    return failed(`the tool reported an error: ${toolError}`, lines[at] ?? "", at + 1);
  }
  const tables = parsed.value.tables;
  const table: StatusTable | undefined = tables.at(-1);
  if (!table) return failed("the output holds no status table", lines.find((l) => l.trim() !== "") ?? "", lines.length > 0 ? 1 : 0);
  const builder = planBuilder("MACHBASE");
  // Progress output (--exec-sync) prints one table per step; the last is the cluster as it is now.
  if (tables.length > 1) builder.warn(`the output holds ${tables.length} status tables; the last one was used`);
  for (const w of parsed.value.warnings.filter((w) => /unknown columns/.test(w.message))) builder.warn(`line ${w.lineNumber}: ${w.message}`);
  for (const row of roleRows(table)) {
    const type = typeText(row.nodeType);
    const desired = stateText(row.roleState);
    builder.add({
      name: row.nodeName,
      type,
      role: machbaseRole(type, desired),
      group: row.groupName,
      hostAddress: null,
      where: `line ${rowLineNumber(lines, row.nodeName)}`,
    });
  }
  return { ok: true, plan: builder.build() };
}

// ---- GBase: gcadmin ----------------------------------------------------------------------------------

export function planFromGbase(output: string): PlanResult {
  const parsed = parseGcadmin(output);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { status } = parsed.value;
  const builder = planBuilder("GBASE");
  for (const row of status.coordinators.rows) builder.add({ name: row.name, type: "coordinator", role: "", group: null, hostAddress: row.ip });
  for (const row of status.dataNodes.rows) builder.add({ name: row.name, type: "data", role: "", group: null, hostAddress: row.ip });
  for (const t of status.otherTables) builder.warn(`table '${t.title}' is not one gcadmin is known to print; its rows were not imported`);
  return { ok: true, plan: builder.build() };
}

// ---- Tibero / ProSync: cmrctl show all ---------------------------------------------------------------

const NETWORK_ADDRESS = /^\((public|private)\)\s+(\S+?)\/\d+\s*$/;

/**
 * The CM's own address, from its network resources (public preferred). On the lab and small estates
 * the interconnect is the host's address; when it is not, the person picks the host in the preview.
 */
function cmAddress(node: CmNodeResources): string | null {
  const networks = node.resources
    .filter((r) => r.type === "network")
    .map((r) => NETWORK_ADDRESS.exec(r.detail))
    .filter((m): m is RegExpExecArray => m !== null);
  const chosen = networks.find((m) => m[1] === "public") ?? networks[0];
  return chosen?.[2] ?? null;
}

/** `cmrctl show all`, or a group command's reply that ends with the same tables. */
function parseCmTables(output: string): ParseResult<CmShowAllParsed> {
  const firstLine = splitLines(output).find((l) => l.trim() !== "") ?? "";
  if (/^=+ SUCCESS! =+\s*$/.test(firstLine)) {
    const reply = parseGroupRequest(output);
    if (!reply.ok) return reply;
    return { ok: true, value: reply.value.showAll ?? { nodes: [], warnings: [] } };
  }
  return parseShowAll(output);
}

/** Resource types that become nodes; the other resources (network, cluster, file, service, group) are CM plumbing. */
const NODE_RESOURCE: Record<"TIBERO" | "PROSYNC", { resource: string; type: string }> = {
  TIBERO: { resource: "db", type: "instance" },
  PROSYNC: { resource: "agent", type: "agent" },
};

export function planFromCmrctl(output: string, engine: "TIBERO" | "PROSYNC"): PlanResult {
  const parsed = parseCmTables(output);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  if (parsed.value.nodes.length === 0) return failed("cmrctl listed no 'Resource List of Node …' table", splitLines(output)[0] ?? "", 1);
  const builder = planBuilder(engine);
  const wanted = NODE_RESOURCE[engine];
  const seenCm = new Set<string>();
  for (const cm of parsed.value.nodes) {
    // A CM node's table printed twice describes the same node.
    if (seenCm.has(cm.cmName)) continue;
    seenCm.add(cm.cmName);
    const address = cmAddress(cm);
    builder.add({ name: cm.cmName, type: "cm", role: "", group: null, hostAddress: address });
    for (const r of cm.resources.filter((r) => r.type === wanted.resource)) {
      builder.add({ name: r.name, type: wanted.type, role: "", group: null, hostAddress: address, where: `CM ${cm.cmName}` });
    }
  }
  return { ok: true, plan: builder.build() };
}
