import type { AgentStatus, InstanceStatus, PrsStatus, ProcessStatus } from "../../../lib/engines/prosync/types";
import { runningAgents, type Timing } from "../tibero/live";
import type { ProsyncAgent, State } from "../tibero/state";
import type { ProsyncInstance } from "../tibero/topology";

function groupFailover(state: State, groupName: string | undefined): boolean {
  if (groupName === undefined) return false;
  for (const cluster of Object.values(state.clusters)) {
    const g = cluster.groups.find((x) => x.name === groupName);
    if (g) return g.failover;
  }
  return true; // cmrctl's default
}

/**
 * Where a process runs: on the first agent of its list while that one runs. When it is lost, and its
 * CM group has failover ON, the process moves to the next running agent of the list once CM has had
 * time to notice (failoverDetectMs after the loss); with failover OFF it stays down.
 */
function placeProcess(state: State, agents: ProsyncAgent[], list: string[], running: Map<string, string>, t: Timing): ProsyncAgent | undefined {
  const byId = (id: string) => agents.find((a) => a.id === id);
  const [primaryId, ...others] = list;
  if (primaryId === undefined) return undefined;
  const primary = byId(primaryId);
  if (running.has(primaryId)) return primary;
  if (!groupFailover(state, primary?.cmGroup)) return undefined;
  const lostAt = state.prosync.lostAt[primaryId];
  if (lostAt !== undefined && t.now < lostAt + t.failoverDetectMs) return undefined;
  const next = others.find((id) => running.has(id));
  return next !== undefined ? byId(next) : undefined;
}

function proc(name: string, index: number | undefined, agent: ProsyncAgent | undefined): ProcessStatus {
  const p: ProcessStatus = { name, state: agent ? "running" : "not running" };
  if (index !== undefined) p.index = index;
  if (agent) p.agent = { id: agent.id, host: agent.host, port: agent.port };
  return p;
}

function instanceStatus(state: State, instance: ProsyncInstance, running: Map<string, string>, t: Timing): InstanceStatus {
  const agents = state.prosync.agents;
  const place = (list: string[]) => placeProcess(state, agents, list, running, t);
  const id = instance.instanceId;
  const processes: ProcessStatus[] = [
    ...instance.ext.map((list, i) => proc(`${id}_ext${i + 1}`, i + 1, place(list))),
    proc(`${id}_apply1`, undefined, place(instance.apply)),
  ];
  if (instance.llob.length > 0) processes.push(proc(`${id}_llob`, 1, place(instance.llob)));
  return { instanceId: id, processes };
}

/** What `prs_adm` `status` reports at time t. */
export function prsStatus(state: State, t: Timing): PrsStatus {
  const running = runningAgents(state, t);
  const agents: AgentStatus[] = state.prosync.agents.map((a) => {
    const s: AgentStatus = { id: a.id, host: a.host, port: a.port, state: running.has(a.id) ? "running" : "not running" };
    if (a.cmGroup !== undefined) s.cmGroup = a.cmGroup;
    if (a.cmId !== undefined) s.cmId = a.cmId;
    return s;
  });
  const instances = state.prosync.instance ? [instanceStatus(state, state.prosync.instance, running, t)] : [];
  return { agents, instances };
}
