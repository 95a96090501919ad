import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { withLock } from "./lock";
import { ProsyncInstanceSchema, TopologySchema, loadTopology, type Topology } from "./topology";

// $KEEL_LAB_STATE/state.json — everything the simulated estate remembers. Times are epoch ms; states
// that change over time (an agent coming UP, a failover) are derived from them at read time.

export const InstanceModeSchema = z.enum(["DOWN", "NOMOUNT", "MOUNT", "NORMAL"]);
export type InstanceMode = z.infer<typeof InstanceModeSchema>;

export const CmStateSchema = z.object({
  up: z.boolean(),
  since: z.number(),
  cmName: z.string(),
  cmId: z.number().int().nonnegative().optional(),
  uiPort: z.number().int().optional(),
  tbHome: z.string(),
  tbSid: z.string(),
});
export type CmState = z.infer<typeof CmStateSchema>;

export const NodeStateSchema = z.object({
  hostDown: z.boolean(),
  cm: CmStateSchema.optional(),
  instance: z.object({
    mode: InstanceModeSchema,
    since: z.number(),
    thread: z.number().int().optional(),
    undo: z.string().optional(),
  }),
  /** Fault: the next tbboot on this node fails. */
  bootFail: z.boolean(),
});
export type NodeState = z.infer<typeof NodeStateSchema>;

export const LogGroupSchema = z.object({ group: z.number().int(), thread: z.number().int(), files: z.array(z.string()), size: z.string() });
export const TablespaceSchema = z.object({ name: z.string(), kind: z.enum(["permanent", "undo", "temporary"]), files: z.array(z.string()) });

export const DatabaseSchema = z.object({
  name: z.string(),
  sysPassword: z.string(),
  maxInstances: z.number().int().positive(),
  logGroups: z.array(LogGroupSchema),
  enabledThreads: z.array(z.number().int()),
  tablespaces: z.array(TablespaceSchema),
  createdAt: z.number(),
});
export type Database = z.infer<typeof DatabaseSchema>;

export const GroupResourceSchema = z.object({
  name: z.string(),
  grptype: z.string(),
  failover: z.boolean(),
  startedAt: z.number().optional(),
});
export type GroupResource = z.infer<typeof GroupResourceSchema>;

export const ScriptVerdictSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), agentId: z.string() }),
  z.object({ ok: z.literal(false), exitCode: z.number().int(), message: z.string() }),
]);
export type ScriptVerdict = z.infer<typeof ScriptVerdictSchema>;

export const AgentResourceSchema = z.object({
  name: z.string(),
  group: z.string(),
  script: z.string(),
  pubnet: z.string().optional(),
  retryCnt: z.number().int().nonnegative(),
  /** Set when CM was asked to start it; the verdict of running its script START was decided then. */
  start: z.object({ at: z.number(), verdict: ScriptVerdictSchema, restarts: z.number().int().nonnegative().optional() }).optional(),
});
export type AgentResource = z.infer<typeof AgentResourceSchema>;

export const ClusterStateSchema = z.object({
  database: DatabaseSchema.optional(),
  groups: z.array(GroupResourceSchema),
  /** Agent resources are node-local: registered on the node where `cmrctl add agent` ran. */
  agents: z.record(z.string(), z.array(AgentResourceSchema)),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export const ProsyncAgentSchema = z.object({
  index: z.number().int(),
  id: z.string(),
  host: z.string(),
  port: z.number().int(),
  cmGroup: z.string().optional(),
  cmId: z.number().int().optional(),
  prsHome: z.string(),
});
export type ProsyncAgent = z.infer<typeof ProsyncAgentSchema>;

export const StateSchema = z.object({
  version: z.literal(1),
  topology: TopologySchema,
  nodes: z.record(z.string(), NodeStateSchema),
  clusters: z.record(z.string(), ClusterStateSchema),
  prosync: z.object({
    agents: z.array(ProsyncAgentSchema),
    instance: ProsyncInstanceSchema.optional(),
    /** When an agent stopped running unplanned (node or CM lost); failover waits for detection after it. */
    lostAt: z.record(z.string(), z.number()),
  }),
});
export type State = z.infer<typeof StateSchema>;

export function initialState(topology: Topology): State {
  const nodes: State["nodes"] = {};
  const clusters: State["clusters"] = {};
  for (const cluster of topology.clusters) {
    clusters[cluster.name] = { groups: [], agents: {} };
    for (const n of cluster.nodes) nodes[n.name] = { hostDown: false, instance: { mode: "DOWN", since: 0 }, bootFail: false };
  }
  const prosync: State["prosync"] = { agents: [], lostAt: {} };
  if (topology.prosyncInstance) prosync.instance = topology.prosyncInstance;
  return { version: 1, topology, nodes, clusters, prosync };
}

function statePath(stateDir: string): string {
  return path.join(stateDir, "state.json");
}

async function readState(stateDir: string): Promise<State> {
  try {
    return StateSchema.parse(JSON.parse(await readFile(statePath(stateDir), "utf8")));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return initialState(await loadTopology(stateDir));
    throw e;
  }
}

async function writeState(stateDir: string, state: State): Promise<void> {
  const tmp = `${statePath(stateDir)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, statePath(stateDir));
}

/**
 * Runs `fn` on the state under the lock and saves it afterwards. `fn` mutates the object it is given;
 * a read-only command simply doesn't, and the unchanged state is not rewritten.
 */
export async function transact<T>(stateDir: string, fn: (state: State) => T | Promise<T>): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  return withLock(stateDir, async () => {
    const state = await readState(stateDir);
    const before = JSON.stringify(state);
    const result = await fn(state);
    if (JSON.stringify(state) !== before) await writeState(stateDir, state);
    return result;
  });
}
