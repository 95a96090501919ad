// Seed 003 §5–6: put ProSync's agents under Tibero CM. Node by node: tbdown → tbcm -d → CM_ID as the
// first setting of cm_<SID>.tip → tbcm -b → tbboot; then cmrctl show all → add the group (prosync,
// failover) → add each agent on its node → start the group → group and agents UP → prs_adm status.
import { z } from "zod";

import { defineProcedure, parsed, type ArgvBuild, type InventoryNode } from "../../../runs/model";
import { judgeCmScript, inspectCmScript } from "../cm-script";
import { addCmIdArgv, cmIdFirst, SHOW_CM_TIP_SCRIPT } from "./cm-id-edit";
import {
  addAgentArgv,
  agentItems,
  agentRows,
  AgentSpecSchema,
  everythingRunning,
  groupAndAgentsUp,
  NameSchema,
  PRS_ADM_STATUS,
  prsAdmOutput,
  SCRIPT_SEPARATOR,
  SHOW_SCRIPT,
  showAllOutput,
  unknownAgents,
  unlessRegistered,
  type AgentItem,
} from "./shared";

export const cmFailoverSetupParameters = z.object({
  group: NameSchema.default("CM1").meta({ label: "CM group", help: "AGENT_CM_GROUP of the agents in prs_install_agent.cfg" }),
  clusterName: NameSchema.default("cls_tibero").meta({ label: "CM cluster resource", help: "The cluster resource cmrctl show all lists, e.g. cls_tibero" }),
  failover: z.boolean().default(true).meta({ label: "Failover", help: "Move the agents' processes to another agent when one is lost (cmrctl --failover)" }),
  agents: z
    .array(AgentSpecSchema)
    .min(1, "choose at least one agent, or leave empty for all")
    .refine((list) => new Set(list.map((a) => a.split(":")[0])).size === list.length, "an agent is listed twice")
    .optional()
    .meta({ label: "Agents", help: "agentId:CM_ID as in prs_install_agent.cfg; default: every agent node, CM_ID 0, 1, … in inventory order" }),
  retryCount: z.number().int().min(0).max(100).default(3).meta({ label: "Agent retry count", help: "cmrctl add agent --retry_cnt (default 3)" }),
});

type Params = z.output<typeof cmFailoverSetupParameters>;

export const GROUP_UP_TIMEOUT_MS = 3 * 60_000;
export const GROUP_UP_POLL_MS = 3_000;

/** The agents to set up that the inventory knows; an unknown one is reported by `guarded` (show-all). */
function items(params: Params, nodes: readonly InventoryNode[]): AgentItem[] {
  return agentItems(params.agents, nodes).filter((i) => nodes.some((n) => n.type === "agent" && n.name === i.node));
}

/** Builds argv only when every agent named is one of the cluster's agent nodes. */
function guarded(params: Params, nodes: readonly InventoryNode[], build: () => ArgvBuild): ArgvBuild {
  const problem = unknownAgents(agentItems(params.agents, nodes), nodes);
  return problem === null ? build() : { ok: false, field: "agents", message: problem };
}

/** Where the cluster-wide CM commands run: the first agent's node (any agent node when none is chosen). */
const firstAgent = (params: Params, nodes: readonly InventoryNode[]): string =>
  items(params, nodes)[0]?.node ?? nodes.find((n) => n.type === "agent")?.name ?? "";

export const cmFailoverSetup = defineProcedure({
  id: "prosync.cm-failover-setup",
  engine: "PROSYNC",
  title: "CM failover set-up",
  description:
    "Registers ProSync's agents with Tibero CM: CM_ID in each node's CM tip (restarting CM and Tibero node by node), the prosync group with failover, an agent resource per agent, then starts the group and checks CM and prs_adm.",
  parameters: cmFailoverSetupParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    forEach<AgentItem>({
      id: "scripts",
      title: "Check each agent's CM script",
      items: ({ params, nodes }) => items(params, nodes),
      label: (item) => item.agent,
      steps: [
        {
          kind: "precheck",
          id: "script",
          title: ({ item }) => `${item.agent}: $TB_HOME/prs_${item.cmId}.sh runs under bash and sets TB_HOME, PRS_HOME, AGENT_ID`,
          host: { node: ({ item }) => item.node },
          argv: ({ item, params, nodes }) => guarded(params, nodes, () => ["sh", "-c", SHOW_SCRIPT, "sh", String(item.cmId)]),
          assert: (output, { item }) => {
            const [pathLine = "", ...rest] = output.stdout.split("\n");
            if (output.exitCode !== 0 || !output.stdout.includes(SCRIPT_SEPARATOR)) {
              return { ok: false, reason: `${pathLine || `prs_${item.cmId}.sh`} could not be read: ${output.stderr.trim() || `exit ${output.exitCode}`}` };
            }
            const text = rest.join("\n").split(`${SCRIPT_SEPARATOR}\n`)[0] ?? "";
            const verdict = judgeCmScript(inspectCmScript(text), pathLine);
            if (verdict.ok) {
              const id = inspectCmScript(text).assignments.AGENT_ID ?? inspectCmScript(text).exports.AGENT_ID;
              return id === item.agent ? { ok: true } : { ok: false, reason: `${pathLine} sets AGENT_ID=${id ?? "(nothing)"}, expected ${item.agent}` };
            }
            const fix = verdict.exitCode === 127 ? "; CM would get exit 127 — change the first line to #!/bin/bash (the script uses `source`)" : "";
            return { ok: false, reason: `${verdict.message}${fix}` };
          },
        },
      ],
    }),
    {
      kind: "confirm",
      id: "approve",
      title: "Approve restarting CM and Tibero node by node",
      text: ({ params, nodes }) =>
        `On ${items(params, nodes).map((i) => i.node).join(", ")} in turn: Tibero and CM are stopped, CM_ID is added to the CM tip, and both are started again. ` +
        "That node's instance is down meanwhile; the other instances keep serving.",
      destructive: true,
    },
    forEach<AgentItem>({
      id: "nodes",
      title: "CM_ID in each node's CM tip",
      items: ({ params, nodes }) => items(params, nodes),
      label: (item) => `${item.node} (CM_ID ${item.cmId})`,
      steps: [
        {
          kind: "action",
          id: "tbdown",
          title: ({ item }) => `${item.node}: tbdown`,
          host: { node: ({ item }) => item.node },
          argv: ["tbdown"],
          idempotent: false,
          onFailure: ({ item }) => `Tibero on ${item.node} did not stop. If it says the instance is not running (TBR-2131), mark this step done; otherwise stop it and retry.`,
        },
        {
          kind: "action",
          id: "tbcm-down",
          title: ({ item }) => `${item.node}: tbcm -d`,
          host: { node: ({ item }) => item.node },
          argv: ["tbcm", "-d"],
          idempotent: false,
          onFailure: ({ item }) => `CM on ${item.node} did not stop; Tibero there is down. If CM was already down, mark this step done; else stop it and retry. tbboot restarts Tibero once CM is up (tbcm -b).`,
        },
        {
          kind: "action",
          id: "add-cm-id",
          title: ({ item }) => `${item.node}: CM_ID=${item.cmId} as the first setting of cm_$TB_SID.tip`,
          host: { node: ({ item }) => item.node },
          argv: ({ item }) => addCmIdArgv(item.cmId),
          idempotent: true,
          onFailure: ({ item }) => `The CM tip on ${item.node} is unchanged. Fix what the message names (a different CM_ID is never overwritten), then retry; CM and Tibero on ${item.node} are down.`,
        },
        {
          kind: "verify",
          id: "cm-id-set",
          title: ({ item }) => `${item.node}: the CM tip starts with CM_ID=${item.cmId}`,
          host: { node: ({ item }) => item.node },
          argv: ["sh", "-c", SHOW_CM_TIP_SCRIPT],
          assert: (output, { item }) => cmIdFirst(output, item.cmId),
        },
        {
          kind: "action",
          id: "tbcm-boot",
          title: ({ item }) => `${item.node}: tbcm -b`,
          host: { node: ({ item }) => item.node },
          argv: ["tbcm", "-b"],
          idempotent: false,
          onFailure: ({ item }) => `CM on ${item.node} did not start; a TBR-1302 names the tip line at fault. Fix it and retry; Tibero there is still down.`,
        },
        {
          kind: "action",
          id: "tbboot",
          title: ({ item }) => `${item.node}: tbboot`,
          host: { node: ({ item }) => item.node },
          argv: ["tbboot"],
          idempotent: false,
          onFailure: ({ item }) => `Tibero on ${item.node} did not start; read the TBR error (CM_PORT must equal CM_UI_PORT) and retry.`,
        },
      ],
    }),
    {
      kind: "verify",
      id: "show-all",
      title: ({ params }) => `cmrctl show all: ${params.clusterName} is up and every instance UP(NRML)`,
      host: { node: ({ params, nodes }) => firstAgent(params, nodes) },
      argv: ({ params, nodes }) => guarded(params, nodes, () => ["cmrctl", "show", "all"]),
      assert: parsed(showAllOutput, (view, { params }) => {
        const rows = view.nodes.flatMap((n) => n.resources.map((r) => ({ ...r, cmNode: n.cmName })));
        if (!rows.some((r) => r.type === "cluster" && r.name === params.clusterName)) {
          const clusters = [...new Set(rows.filter((r) => r.type === "cluster").map((r) => r.name))];
          return { ok: false, reason: `no cluster resource ${params.clusterName} (CM lists ${clusters.join(", ") || "none"})` };
        }
        const down = rows.filter((r) => r.type === "db" && r.status !== "UP(NRML)").map((r) => `${r.name} ${r.status} on ${r.cmNode}`);
        return down.length === 0 ? { ok: true } : { ok: false, reason: `not every instance is UP(NRML): ${down.join(", ")}` };
      }),
    },
    {
      kind: "action",
      id: "add-group",
      title: ({ params }) => `cmrctl add group --name ${params.group} --cname ${params.clusterName} --grptype prosync --failover ${params.failover}`,
      host: { node: ({ params, nodes }) => firstAgent(params, nodes) },
      argv: ({ params }) => unlessRegistered(["cmrctl", "add", "group", "--name", params.group, "--cname", params.clusterName, "--grptype", "prosync", "--failover", String(params.failover)]),
      idempotent: true,
      onFailure: "The group was not registered. Read the [ERROR] (a wrong --cname names the node's cluster), fix the parameter or CM and retry.",
    },
    forEach<AgentItem>({
      id: "agents",
      title: "Register each agent",
      items: ({ params, nodes }) => items(params, nodes),
      label: (item) => item.agent,
      steps: [
        {
          kind: "action",
          id: "add-agent",
          title: ({ item, params }) => `${item.node}: cmrctl add agent --name ${item.agent} --grpname ${params.group} --script $TB_HOME/prs_${item.cmId}.sh`,
          host: { node: ({ item }) => item.node },
          argv: ({ item, params }) => addAgentArgv(item, params.group, params.retryCount),
          idempotent: true,
          onFailure: ({ item }) => `${item.agent} was not registered. Read the [ERROR] (the group must exist; the script path must be absolute) and retry.`,
        },
      ],
    }),
    {
      kind: "action",
      id: "start-group",
      title: ({ params }) => `cmrctl start group --name ${params.group}`,
      host: { node: ({ params, nodes }) => firstAgent(params, nodes) },
      argv: ({ params }) => ["cmrctl", "start", "group", "--name", params.group],
      idempotent: true,
      onFailure: ({ params }) => `The start request was refused. Check cmrctl show group --name ${params.group} and retry.`,
    },
    {
      kind: "wait-until",
      id: "group-up",
      title: ({ params }) => `Group ${params.group} and every agent UP`,
      host: { node: ({ params, nodes }) => firstAgent(params, nodes) },
      argv: ["cmrctl", "show", "all"],
      until: parsed(showAllOutput, (view, { params, nodes }) => groupAndAgentsUp(view, params.group, items(params, nodes).map((i) => i.agent))),
      progress: (output, { params, nodes }) => {
        const view = showAllOutput(output);
        if (!view.ok) return view.reason;
        const wanted = items(params, nodes).map((i) => i.agent);
        return agentRows(view.value, params.group)
          .filter((r) => wanted.includes(r.agent))
          .map((r) => `${r.agent} ${r.status} on ${r.cmNode} (${r.detail.replace(/^.*, /, "")})`)
          .join("; ");
      },
      timeoutMs: GROUP_UP_TIMEOUT_MS,
      pollMs: GROUP_UP_POLL_MS,
      onFailure:
        "An agent stayed DOWN. A growing start retry cnt means CM's START fails: read $PRS_HOME/var/prs_cm_sh_err_<agent>.log on its node " +
        "(exit 127 = the script runs under /bin/sh: make it #!/bin/bash), then cmrctl start group again.",
    },
    {
      kind: "verify",
      id: "prs-adm",
      title: "prs_adm status: every agent and process running",
      host: { node: ({ params, nodes }) => firstAgent(params, nodes) },
      argv: [...PRS_ADM_STATUS.argv],
      stdin: { text: PRS_ADM_STATUS.stdin.text },
      assert: parsed(prsAdmOutput, (status, { params, nodes }) => everythingRunning(status, items(params, nodes).map((i) => i.agent))),
    },
  ],
});
