import type { CmNodeResources, CmResource, CmShowAll } from "../../../lib/engines/tibero/types";
import type { AgentResource, InstanceMode, State } from "./state";
import type { TopologyCluster } from "./topology";

// Time-dependent status, derived from the timestamps in the state on every read (no daemon).

export type Timing = { now: number; agentStartMs: number; failoverDetectMs: number };

export type AgentResourceLive = { up: boolean; retries: number };

export function cmUp(state: State, nodeName: string): boolean {
  const ns = state.nodes[nodeName];
  return !!ns && !ns.hostDown && !!ns.cm?.up;
}

export function agentResourceLive(state: State, nodeName: string, res: AgentResource, t: Timing): AgentResourceLive {
  if (!cmUp(state, nodeName) || !res.start) return { up: false, retries: 0 };
  const elapsed = t.now - res.start.at;
  if (res.start.verdict.ok) return { up: elapsed >= t.agentStartMs, retries: res.start.restarts ?? 0 };
  // CM retries a failing START up to retry_cnt times, one attempt per start interval, then gives up.
  const attempts = t.agentStartMs > 0 ? Math.floor(elapsed / t.agentStartMs) : res.retryCnt;
  return { up: false, retries: Math.max(0, Math.min(res.retryCnt, attempts)) };
}

/** Agent ids (as the scripts' AGENT_ID says) currently running under some CM, with the node running each. */
export function runningAgents(state: State, t: Timing): Map<string, string> {
  const running = new Map<string, string>();
  for (const cluster of Object.values(state.clusters)) {
    for (const [nodeName, resources] of Object.entries(cluster.agents)) {
      for (const res of resources) {
        if (res.start?.verdict.ok && agentResourceLive(state, nodeName, res, t).up) running.set(res.start.verdict.agentId, nodeName);
      }
    }
  }
  return running;
}

const DB_STATUS: Record<InstanceMode, string> = { DOWN: "DOWN", NOMOUNT: "UP(NOMT)", MOUNT: "UP(MNT)", NORMAL: "UP(NRML)" };

function nodeResources(state: State, cluster: TopologyCluster, nodeName: string, t: Timing): CmNodeResources | undefined {
  const topoNode = cluster.nodes.find((n) => n.name === nodeName);
  const ns = state.nodes[nodeName];
  const cm = ns?.cm;
  if (!topoNode || !ns || !cm || !cmUp(state, nodeName)) return undefined;
  const cs = state.clusters[cluster.name];
  const net = topoNode.network;
  const rows: CmResource[] = [
    { cluster: "COMMON", type: "network", name: net.name, status: "UP", detail: `(private) ${net.address}/${net.port}` },
    { cluster: "COMMON", type: "cluster", name: cluster.name, status: "UP", detail: `inc: ${net.name}, pub: N/A` },
    { cluster: cluster.name, type: "file", name: `${cluster.name}:0`, status: "UP", detail: `${cm.tbHome}/cmfile/${cluster.service}/cmdata` },
    { cluster: cluster.name, type: "service", name: cluster.service, status: "UP", detail: "Database, Active Cluster (auto-restart: OFF)" },
    {
      cluster: cluster.name,
      type: "db",
      name: topoNode.sid,
      status: DB_STATUS[ns.instance.mode],
      detail: `${cluster.service}, ${cm.tbHome}, failed retry cnt: 0`,
    },
  ];
  const localAgents = cs?.agents[nodeName] ?? [];
  for (const group of cs?.groups ?? []) {
    const members = localAgents.filter((a) => a.group === group.name);
    const live = members.map((a) => ({ a, live: agentResourceLive(state, nodeName, a, t) }));
    const groupUp = group.startedAt !== undefined && live.some((x) => x.live.up);
    rows.push({
      cluster: cluster.name,
      type: "group",
      name: group.name,
      status: groupUp ? "UP" : "DOWN",
      detail: `type: ${group.grptype} (failover: ${group.failover ? "ON" : "OFF"})`,
    });
    for (const { a, live: l } of live) {
      rows.push({ cluster: cluster.name, type: "agent", name: a.name, status: l.up ? "UP" : "DOWN", detail: `${a.script}, start retry cnt: ${l.retries}` });
    }
  }
  return { cmName: cm.cmName, resources: rows };
}

/** What `cmrctl show all` prints on a node of `cluster`: every node of the cluster whose CM answers. */
export function showAllView(state: State, cluster: TopologyCluster, t: Timing): CmShowAll {
  const nodes: CmNodeResources[] = [];
  for (const n of cluster.nodes) {
    const block = nodeResources(state, cluster, n.name, t);
    if (block) nodes.push(block);
  }
  return { nodes };
}
