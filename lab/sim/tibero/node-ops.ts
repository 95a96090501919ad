import { scaled, type LabEnv } from "./context";
import { runningAgents, type Timing } from "./live";
import type { State } from "./state";

export function timing(env: LabEnv, now: number): Timing {
  return { now, agentStartMs: scaled(env, "agentStart"), failoverDetectMs: scaled(env, "failoverDetect") };
}

/** Records the moment agents running on `nodeName` were lost, so failover can wait for detection. */
export function markAgentsLost(state: State, nodeName: string, now: number, env: LabEnv): void {
  for (const [agentId, onNode] of runningAgents(state, timing(env, now))) {
    if (onNode === nodeName) state.prosync.lostAt[agentId] = now;
  }
}

/** CM going away on a node takes the instance and the CM-run agents of that node with it. */
export function stopNodeServices(state: State, nodeName: string, now: number, env: LabEnv): void {
  markAgentsLost(state, nodeName, now, env);
  const ns = state.nodes[nodeName];
  if (!ns) return;
  if (ns.cm) ns.cm.up = false;
  ns.instance = { mode: "DOWN", since: now };
  for (const cluster of Object.values(state.clusters)) {
    for (const res of cluster.agents[nodeName] ?? []) delete res.start;
  }
}
