// ProSync status probe: CM's view (`cmrctl show all`: groups and agents per node) and ProSync's own
// (`prs_adm` `status` on an agent host: agents and where each process runs).
import { judge, runCommand, unreadable, type HostError } from "../../status/health";
import type { ObservedNode, ProbeTarget, Prober, RemoteRunner } from "../../status/types";
import { collectCmResources, type CmPanel } from "../tibero/status";
import { parseStatus } from "./parse-status";
import type { PrsStatus } from "./types";

export const PRS_ADM_ARGV = ["prs_adm"];
/** prs_adm reads its commands from stdin, one per line, as typed at its `Admin>` prompt. */
export const PRS_ADM_STATUS_STDIN = "status\nexit\n";

type Answer = { host: string; status: PrsStatus; warnings: string[] };

async function askPrsAdm(run: RemoteRunner, host: string): Promise<Answer | string> {
  const result = await runCommand(run, host, PRS_ADM_ARGV, { stdin: PRS_ADM_STATUS_STDIN });
  if (!result.ok) return result.message;
  const parsed = parseStatus(result.stdout);
  if (!parsed.ok) return unreadable("prs_adm status", parsed.error);
  if (parsed.value.agents.length === 0) return "prs_adm status listed no agent";
  const { warnings, ...status } = parsed.value;
  return { host, status, warnings: warnings.map((w) => `line ${w.lineNumber}: ${w.message}`) };
}

function agentHosts(target: ProbeTarget): string[] {
  const agents = target.nodes.filter((n) => n.type === "agent");
  return [...new Set((agents.length > 0 ? agents : target.nodes).map((n) => n.hostName))];
}

/** Where CM has an agent resource of that name: its status, its node, and its group's status there. */
function cmView(panel: CmPanel, agentId: string, group: string | undefined) {
  for (const node of panel.nodes) {
    const agent = node.resources.find((r) => r.type === "agent" && r.name === agentId);
    if (!agent) continue;
    const groupRow = node.resources.find((r) => r.type === "group" && (group === undefined || r.name === group));
    return { cmNode: node.cmName, agentStatus: agent.status, groupStatus: groupRow?.status ?? null };
  }
  return null;
}

export function agentNodes(status: PrsStatus, panel: CmPanel): ObservedNode[] {
  const processes = status.instances.flatMap((i) => i.processes);
  return status.agents.map((a) => {
    const cm = cmView(panel, a.id, a.cmGroup);
    const running = a.state === "running";
    const flags = [
      ...(["running", "not running"].includes(a.state) ? [] : [`unrecognized state '${a.state}'`]),
      ...(cm ? [] : [`no reachable CM lists agent ${a.id}`]),
      ...(cm && cm.agentStatus !== "UP" && running ? [`CM reports agent ${a.id} ${cm.agentStatus}`] : []),
    ];
    return {
      name: a.id,
      type: "agent",
      group: a.cmGroup ?? null,
      groupState: cm?.groupStatus ?? null,
      desired: "running",
      actual: a.state,
      rpState: null,
      mismatch: !running || (cm !== null && cm.agentStatus !== "UP"),
      detail: {
        host: a.host,
        port: a.port,
        cmId: a.cmId ?? null,
        cmNode: cm?.cmNode ?? null,
        cmStatus: cm?.agentStatus ?? null,
        processes: processes
          .filter((p) => p.agent?.id === a.id)
          .map((p) => p.name)
          .join(", "),
        ...a.extra,
      },
      flags,
    };
  });
}

/** Agents as CM alone sees them, when prs_adm cannot be asked. `cmrctl show all` lists each group, then its agents. */
export function cmAgentNodes(panel: CmPanel): ObservedNode[] {
  const nodes: ObservedNode[] = [];
  for (const cmNode of panel.nodes) {
    let group: CmPanel["nodes"][number]["resources"][number] | null = null;
    for (const r of cmNode.resources) {
      if (r.type === "group") group = r;
      if (r.type !== "agent" || nodes.some((n) => n.name === r.name)) continue;
      nodes.push({
        name: r.name,
        type: "agent",
        group: group?.name ?? null,
        groupState: group?.status ?? null,
        desired: "UP",
        actual: r.status,
        rpState: null,
        mismatch: r.status !== "UP",
        detail: { cmNode: cmNode.cmName, cmStatus: r.status, script: r.detail },
        flags: ["prs_adm unavailable: process placement unknown"],
      });
    }
  }
  return nodes;
}

export const probeProsync: Prober = async (target, run) => {
  const cm = await collectCmResources(target, run);
  const errors: HostError[] = [...cm.errors];
  let answer: Answer | undefined;
  for (const host of agentHosts(target)) {
    const asked = await askPrsAdm(run, host);
    if (typeof asked !== "string") {
      answer = asked;
      break;
    }
    errors.push({ host, message: `prs_adm: ${asked}` });
  }
  const panels = { cm: cm.panel, prosync: answer ? { prsAdmHost: answer.host, instances: answer.status.instances, warnings: answer.warnings } : null };
  if (!answer) {
    const listing = errors.map((e) => `${e.host}: ${e.message}`).join("; ");
    if (cm.answered.length === 0) return { health: "down", reason: `neither CM nor prs_adm answered: ${listing}`, nodes: [], panels, errors };
    // CM still tells whether each agent resource is up; processes stay unknown.
    return { health: "degraded", reason: `prs_adm answered on no agent host: ${listing}`, nodes: cmAgentNodes(cm.panel), panels, errors };
  }
  const nodes = agentNodes(answer.status, cm.panel);
  const problems = [
    ...nodes.filter((n) => n.mismatch).map((n) => `agent ${n.name} ${n.actual}${n.detail.cmStatus && n.detail.cmStatus !== "UP" ? ` (CM: ${String(n.detail.cmStatus)})` : ""}`),
    ...answer.status.instances.flatMap((i) => i.processes.filter((p) => p.state !== "running").map((p) => `process ${p.name} ${p.state}`)),
  ];
  return { ...judge(problems, errors, `all ${nodes.length} agents and their processes running`), nodes, panels, errors };
};
