// What the ProSync procedures share: the agents of the inventory, the small guarded shell programs, and
// reading `cmrctl show all` and `prs_adm status` inside assertions.
import { z } from "zod";

import type { CheckResult, InventoryNode, ParseOutcome, ProbeOutput } from "../../../runs/model";
import { parseShowAll } from "../../tibero/parse-cmrctl";
import type { CmShowAllParsed } from "../../tibero/types";
import { parseStatus } from "../parse-status";
import type { PrsStatus } from "../types";

export const NameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, "a name of letters, digits and _");

/** An agent as the procedures place it: its CM agent resource, its CM_ID and the inventory node it runs on. */
export type AgentItem = { agent: string; cmId: number; node: string };

/** `agentId:CM_ID` — as in prs_install_agent.cfg (AGENT_ID_i / AGENT_CM_ID_i). */
export const AgentSpecSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}:\d{1,3}$/, "agentId:CM_ID, e.g. agent1:0");

/** The agents to set up: those given (`agent1:0`), else every agent node of the inventory with CM_ID 0, 1, … in order. */
export function agentItems(specs: readonly string[] | undefined, nodes: readonly InventoryNode[]): AgentItem[] {
  const agents = nodes.filter((n) => n.type === "agent");
  if (specs === undefined) return agents.map((n, i) => ({ agent: n.name, cmId: i, node: n.name }));
  return specs.map((spec) => {
    const [agent = "", cmId = "0"] = spec.split(":");
    return { agent, cmId: Number(cmId), node: agent };
  });
}

/** Each agent given must be an agent node of the cluster (the CM resources are registered on its node). */
export function unknownAgents(items: readonly AgentItem[], nodes: readonly InventoryNode[]): string | null {
  const known = nodes.filter((n) => n.type === "agent").map((n) => n.name);
  const missing = items.filter((i) => !known.includes(i.agent)).map((i) => i.agent);
  return missing.length === 0 ? null : `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not an agent node of this cluster (agents: ${known.join(", ") || "none"})`;
}

// Runs the command in "$@" and treats "resource already exists" as done, so registering twice (a
// resumed run, a cluster set up before) is harmless; every other failure stays a failure.
const ALREADY_DONE =
  'out=$("$@" 2>&1); rc=$?; printf "%s\\n" "$out"; [ "$rc" -eq 0 ] && exit 0; ' +
  'case $out in *"resource already exists"*) echo "(already registered: nothing to do)"; exit 0 ;; esac; exit "$rc"';

export function unlessRegistered(argv: readonly string[]): string[] {
  return ["sh", "-c", ALREADY_DONE, "sh", ...argv];
}

// The agent script lives at $TB_HOME/prs_<CM_ID>.sh on the agent's node (seed 003 §5.8); $TB_HOME is that
// node's own. $1 agent, $2 group, $3 retry count, $4 CM_ID — all validated before they get here.
const ADD_AGENT =
  's="${TB_HOME:?TB_HOME is not set on this host}/prs_$4.sh"; ' +
  'set -- cmrctl add agent --name "$1" --grpname "$2" --script "$s" --retry_cnt "$3"; ' +
  ALREADY_DONE;

export function addAgentArgv(item: AgentItem, group: string, retryCount: number): string[] {
  return ["sh", "-c", ADD_AGENT, "sh", item.agent, group, String(retryCount), String(item.cmId)];
}

export const SCRIPT_SEPARATOR = "--- keel: end of script ---";
/** Prints $TB_HOME/prs_<CM_ID>.sh of this node ($1 = CM_ID) and its path. */
export const SHOW_SCRIPT = `f="\${TB_HOME:?TB_HOME is not set on this host}/prs_$1.sh"; echo "$f"; cat -- "$f" && echo '${SCRIPT_SEPARATOR}'`;

export function showAllOutput(output: ProbeOutput): ParseOutcome<CmShowAllParsed> {
  if (output.exitCode !== 0) return { ok: false, reason: `cmrctl exited ${output.exitCode}: ${(output.stderr || output.stdout).trim().split("\n")[0] ?? ""}` };
  const r = parseShowAll(output.stdout);
  if (!r.ok) return { ok: false, reason: `cmrctl show all unreadable at line ${r.error.lineNumber}: ${r.error.message}` };
  if (r.value.nodes.length === 0) return { ok: false, reason: "cmrctl show all listed no node" };
  return { ok: true, value: r.value };
}

export function prsAdmOutput(output: ProbeOutput): ParseOutcome<PrsStatus> {
  const r = parseStatus(output.stdout);
  if (!r.ok) return { ok: false, reason: `prs_adm output unreadable at line ${r.error.lineNumber}: ${r.error.message}` };
  if (r.value.agents.length === 0) return { ok: false, reason: `prs_adm listed no agent${output.exitCode !== 0 ? ` (exit ${output.exitCode})` : ""}` };
  return { ok: true, value: { agents: r.value.agents, instances: r.value.instances } };
}

/** Where CM lists each agent and the group on that node: `agent1 UP on cm_tibero1 (group CM1 UP)`. */
export function agentRows(view: CmShowAllParsed, group: string) {
  return view.nodes.flatMap((node) => {
    const groupRow = node.resources.find((r) => r.type === "group" && r.name === group);
    return node.resources
      .filter((r) => r.type === "agent")
      .map((r) => ({ agent: r.name, cmNode: node.cmName, status: r.status, detail: r.detail, groupStatus: groupRow?.status ?? null }));
  });
}

/** The group and every given agent UP on the node that hosts the agent. */
export function groupAndAgentsUp(view: CmShowAllParsed, group: string, agents: readonly string[]): CheckResult {
  const rows = agentRows(view, group);
  const wrong = agents.flatMap((agent) => {
    const row = rows.find((r) => r.agent === agent);
    if (!row) return [`agent ${agent} is not listed`];
    const problems = [];
    if (row.status !== "UP") problems.push(`agent ${agent} ${row.status} on ${row.cmNode} (${row.detail})`);
    if (row.groupStatus !== "UP") problems.push(`group ${group} ${row.groupStatus ?? "missing"} on ${row.cmNode}`);
    return problems;
  });
  return wrong.length === 0 ? { ok: true } : { ok: false, reason: wrong.join("; ") };
}

/** prs_adm: the given agents and every process running. */
export function everythingRunning(status: PrsStatus, agents: readonly string[]): CheckResult {
  const problems = [
    ...agents.flatMap((id) => {
      const a = status.agents.find((x) => x.id === id);
      return !a ? [`prs_adm does not list agent ${id}`] : a.state === "running" ? [] : [`agent ${id} ${a.state}`];
    }),
    ...status.instances.flatMap((i) => i.processes.filter((p) => p.state !== "running").map((p) => `${p.name} ${p.state}`)),
  ];
  if (status.instances.length === 0) problems.push("prs_adm lists no instance");
  return problems.length === 0 ? { ok: true } : { ok: false, reason: problems.join("; ") };
}

export const PRS_ADM_STATUS = { argv: ["prs_adm"], stdin: { text: "status\nexit\n" } } as const;
