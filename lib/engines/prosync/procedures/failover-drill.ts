// A failover drill for seed 003's CM set-up: take the node of a running agent down (its CM stops, taking
// the instance and the agent with it), watch prs_adm on another agent's node until ProSync has moved that
// agent's processes to the next agent of their lists, check CM's view, then bring the node back.
import { z } from "zod";

import { defineProcedure, parsed, type ArgvBuild, type InventoryNode } from "../../../runs/model";
import type { PrsStatus } from "../types";
import { agentRows, everythingRunning, NameSchema, PRS_ADM_STATUS, prsAdmOutput, showAllOutput } from "./shared";

export const failoverDrillParameters = z.object({
  agent: NameSchema.meta({ label: "Agent to lose", help: "A running agent; its node's CM is stopped (tbcm -d), as if the node failed" }),
  group: NameSchema.default("CM1").meta({ label: "CM group" }),
});

type Params = z.output<typeof failoverDrillParameters>;

export const MOVE_TIMEOUT_MS = 2 * 60_000;
export const MOVE_POLL_MS = 2_000;

const agentNodes = (nodes: readonly InventoryNode[]) => nodes.filter((n) => n.type === "agent").map((n) => n.name);

/** The agent whose node stays up and answers prs_adm during the drill. */
export function survivor(params: Params, nodes: readonly InventoryNode[]): string {
  return agentNodes(nodes).find((n) => n !== params.agent) ?? "";
}

function guarded(params: Params, nodes: readonly InventoryNode[], build: () => ArgvBuild): ArgvBuild {
  const agents = agentNodes(nodes);
  if (!agents.includes(params.agent)) return { ok: false, field: "agent", message: `${params.agent} is not an agent node of this cluster (agents: ${agents.join(", ") || "none"})` };
  if (agents.length < 2) return { ok: false, field: "agent", message: "a drill needs a second agent to take over" };
  return build();
}

/** Processes that ran on the lost agent are running elsewhere, and none runs on it. */
export function movedOff(status: PrsStatus, lost: string): { ok: true } | { ok: false; reason: string } {
  const processes = status.instances.flatMap((i) => i.processes);
  const stuck = processes.filter((p) => p.state !== "running" || p.agent?.id === lost).map((p) => `${p.name} ${p.state}${p.agent ? ` on ${p.agent.id}` : ""}`);
  return stuck.length === 0 ? { ok: true } : { ok: false, reason: `not moved yet: ${stuck.join(", ")}` };
}

export function placement(status: PrsStatus): string {
  return status.instances
    .flatMap((i) => i.processes)
    .map((p) => `${p.name} ${p.state === "running" ? `on ${p.agent?.id ?? "?"}` : p.state}`)
    .join(", ");
}

const onSurvivor = { node: ({ params, nodes }: { params: Params; nodes: readonly InventoryNode[] }) => survivor(params, nodes) };
const onLost = { node: ({ params }: { params: Params }) => params.agent };

export const failoverDrill = defineProcedure({
  id: "prosync.failover-drill",
  engine: "PROSYNC",
  title: "CM failover drill",
  description: "Stops the CM of a running agent's node and shows ProSync moving that agent's processes to another agent; then brings the node back.",
  parameters: failoverDrillParameters,
  mutating: true,
  approval: "none",
  steps: [
    {
      kind: "precheck",
      id: "all-running",
      title: "prs_adm: every agent and process running before the drill",
      host: onSurvivor,
      argv: ({ params, nodes }) => guarded(params, nodes, () => [...PRS_ADM_STATUS.argv]),
      stdin: { text: PRS_ADM_STATUS.stdin.text },
      assert: parsed(prsAdmOutput, (status, { params }) => everythingRunning(status, [params.agent])),
    },
    {
      kind: "precheck",
      id: "failover-on",
      title: ({ params }) => `Group ${params.group} has failover ON`,
      host: onSurvivor,
      argv: ["cmrctl", "show", "all"],
      assert: parsed(showAllOutput, (view, { params }) => {
        const group = view.nodes.flatMap((n) => n.resources).find((r) => r.type === "group" && r.name === params.group);
        if (!group) return { ok: false, reason: `CM lists no group ${params.group}` };
        return /\(failover: ON\)/.test(group.detail) ? { ok: true } : { ok: false, reason: `group ${params.group} is ${group.detail}: with failover off the processes would stay down` };
      }),
    },
    {
      kind: "confirm",
      id: "approve",
      title: "Approve the drill",
      text: ({ params }) => `CM on ${params.agent}'s node is stopped: that node's Tibero instance and ${params.agent} go down until the drill brings them back.`,
      destructive: true,
    },
    {
      kind: "action",
      id: "take-down",
      title: ({ params }) => `${params.agent}'s node: tbcm -d`,
      host: onLost,
      argv: ["tbcm", "-d"],
      idempotent: false,
      onFailure: ({ params }) => `CM on ${params.agent}'s node did not stop; nothing moved. Check it and retry, or abort the drill.`,
    },
    {
      kind: "wait-until",
      id: "moved",
      title: ({ params }) => `ProSync moves ${params.agent}'s processes to another agent`,
      host: onSurvivor,
      argv: [...PRS_ADM_STATUS.argv],
      stdin: { text: PRS_ADM_STATUS.stdin.text },
      until: parsed(prsAdmOutput, (status, { params }) => movedOff(status, params.agent)),
      progress: (output) => {
        const status = prsAdmOutput(output);
        return status.ok ? placement(status.value) : status.reason;
      },
      timeoutMs: MOVE_TIMEOUT_MS,
      pollMs: MOVE_POLL_MS,
      onFailure: ({ params }) => `The processes did not move. Check the group's failover setting and the other agent; bring ${params.agent}'s node back with tbcm -b, tbboot and cmrctl start group.`,
    },
    {
      kind: "verify",
      id: "cm-view",
      title: "CM: the surviving agent and its group are UP",
      host: onSurvivor,
      argv: ["cmrctl", "show", "all"],
      assert: parsed(showAllOutput, (view, { params, nodes }) => {
        const rows = agentRows(view, params.group).filter((r) => r.agent === survivor(params, nodes));
        const up = rows.some((r) => r.status === "UP" && r.groupStatus === "UP");
        return up ? { ok: true } : { ok: false, reason: `CM shows ${rows.map((r) => `${r.agent} ${r.status}, group ${r.groupStatus ?? "missing"}`).join("; ") || "no surviving agent"}` };
      }),
    },
    {
      kind: "action",
      id: "restore-cm",
      title: ({ params }) => `${params.agent}'s node: tbcm -b`,
      host: onLost,
      argv: ["tbcm", "-b"],
      idempotent: false,
      onFailure: "CM did not start; the processes keep running on the other agent. Start it by hand.",
    },
    {
      kind: "action",
      id: "restore-db",
      title: ({ params }) => `${params.agent}'s node: tbboot`,
      host: onLost,
      argv: ["tbboot"],
      idempotent: false,
      onFailure: "Tibero did not start on this node; read the TBR error and boot it by hand.",
    },
    {
      kind: "action",
      id: "restart-group",
      title: ({ params }) => `cmrctl start group --name ${params.group}`,
      host: onLost,
      argv: ({ params }) => ["cmrctl", "start", "group", "--name", params.group],
      idempotent: true,
      onFailure: "The group was not started on this node; run cmrctl start group again.",
    },
    {
      kind: "wait-until",
      id: "back",
      title: ({ params }) => `${params.agent} runs again and every process runs`,
      host: onSurvivor,
      argv: [...PRS_ADM_STATUS.argv],
      stdin: { text: PRS_ADM_STATUS.stdin.text },
      until: parsed(prsAdmOutput, (status, { params }) => everythingRunning(status, [params.agent])),
      progress: (output) => {
        const status = prsAdmOutput(output);
        return status.ok ? placement(status.value) : status.reason;
      },
      timeoutMs: MOVE_TIMEOUT_MS,
      pollMs: MOVE_POLL_MS,
      onFailure: "The agent did not come back. Check cmrctl show all on its node (start retry cnt) and its $PRS_HOME/var logs.",
    },
  ],
});
