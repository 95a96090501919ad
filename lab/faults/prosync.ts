import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { timing } from "../sim/tibero/node-ops";
import { agentResourceLive, runningAgents } from "../sim/tibero/live";
import { transact } from "../sim/tibero/state";
import { envOf, faultCli, nodeDown, nodeUp, type FaultOptions } from "./tibero";
import { isMainModule } from "../../scripts/db/cli";

// Fault injection for ProSync agents run by Tibero CM.
//   npx tsx lab/faults/prosync.ts <stateDir> agent-node-down <agentId>   the host running the agent dies
//   npx tsx lab/faults/prosync.ts <stateDir> agent-kill <agentId>        the agent process dies; CM restarts it
//   npx tsx lab/faults/prosync.ts <stateDir> node-up <node>              the host is back
//   npx tsx lab/faults/prosync.ts <stateDir> agent-script-sh <agentId>   its CM script gets #!/bin/sh (START → exit 127)
//   npx tsx lab/faults/prosync.ts <stateDir> agent-script-bash <agentId> back to #!/bin/bash
// With the agent's CM group at --failover true, ProSync moves the agent's processes to the next agent
// of their lists once CM has noticed (see lab/sim/prosync/README.md); with false they stay down.

/** The node the agent runs on now, else the node whose address is the agent's AGENT_HOST. */
export async function agentNode(stateDir: string, agentId: string, o: FaultOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  return transact(stateDir, (state) => {
    const running = runningAgents(state, timing(envOf(stateDir, o), now)).get(agentId);
    if (running) return running;
    const agent = state.prosync.agents.find((a) => a.id === agentId);
    const node = agent && state.topology.clusters.flatMap((c) => c.nodes).find((n) => n.host === agent.host);
    if (!node) throw new Error(`agent '${agentId}' is neither running nor installed on a known host`);
    return node.name;
  });
}

export async function agentNodeDown(stateDir: string, agentId: string, o: FaultOptions = {}): Promise<string> {
  return nodeDown(stateDir, await agentNode(stateDir, agentId, o), o);
}

/**
 * The agent process dies on a healthy node: CM notices and runs START again (counted in "start retry
 * cnt"), so the agent is back after one start interval — sooner than ProSync's failover would trigger.
 */
export async function agentKill(stateDir: string, agentId: string, o: FaultOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  return transact(stateDir, (state) => {
    const t = timing(envOf(stateDir, o), now);
    for (const cluster of Object.values(state.clusters)) {
      for (const [nodeName, resources] of Object.entries(cluster.agents)) {
        for (const res of resources) {
          if (!res.start?.verdict.ok || res.start.verdict.agentId !== agentId || !agentResourceLive(state, nodeName, res, t).up) continue;
          state.prosync.lostAt[agentId] = now;
          res.start = { at: now, verdict: res.start.verdict, restarts: (res.start.restarts ?? 0) + 1 };
          return nodeName;
        }
      }
    }
    throw new Error(`agent '${agentId}' is not running`);
  });
}

/**
 * The agent's CM script: the one its CM agent resource names, else $TB_HOME/prs_<CM_ID>.sh on the node
 * whose host is its AGENT_HOST (where seed 003 §5.8 registers it).
 */
export async function agentScriptPath(stateDir: string, agentId: string): Promise<string> {
  return transact(stateDir, (state) => {
    for (const cluster of Object.values(state.clusters)) {
      for (const resources of Object.values(cluster.agents)) {
        const registered = resources.find((r) => r.name === agentId);
        if (registered) return registered.script;
      }
    }
    const agent = state.prosync.agents.find((a) => a.id === agentId);
    const node = agent && state.topology.clusters.flatMap((c) => c.nodes).find((n) => n.host === agent.host);
    const tbHome = node && state.nodes[node.name]?.cm?.tbHome;
    if (!agent || !tbHome) throw new Error(`agent '${agentId}' is neither registered with CM nor installed on a node whose CM has run`);
    return path.join(tbHome, `prs_${agent.cmId ?? 0}.sh`);
  });
}

/**
 * Seed 003 §2's pitfall: the script's first line becomes `#!/bin/sh`, so CM's next START of the agent
 * fails with exit 127 (`source: not found`); a running agent is affected from its next start on.
 */
export async function agentScriptShell(stateDir: string, agentId: string, shell: "/bin/sh" | "/bin/bash"): Promise<string> {
  const file = await agentScriptPath(stateDir, agentId);
  const text = await readFile(file, "utf8");
  await writeFile(file, text.startsWith("#!") ? text.replace(/^#!.*/, `#!${shell}`) : `#!${shell}\n${text}`);
  return file;
}

export const PROSYNC_FAULTS: Record<string, (stateDir: string, args: string[]) => Promise<string>> = {
  "agent-node-down": async (s, [agentId]) => {
    if (!agentId) throw new Error("missing <agentId> argument");
    return agentNodeDown(s, agentId);
  },
  "agent-kill": async (s, [agentId]) => {
    if (!agentId) throw new Error("missing <agentId> argument");
    return agentKill(s, agentId);
  },
  "node-up": async (s, [node]) => {
    if (!node) throw new Error("missing <node> argument");
    return nodeUp(s, node);
  },
  "agent-script-sh": async (s, [agentId]) => {
    if (!agentId) throw new Error("missing <agentId> argument");
    return agentScriptShell(s, agentId, "/bin/sh");
  },
  "agent-script-bash": async (s, [agentId]) => {
    if (!agentId) throw new Error("missing <agentId> argument");
    return agentScriptShell(s, agentId, "/bin/bash");
  },
};

if (isMainModule(import.meta.url)) {
  process.exitCode = await faultCli(PROSYNC_FAULTS, process.argv.slice(2));
}
