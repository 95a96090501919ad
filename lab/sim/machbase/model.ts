// The simulated cluster as stored on disk (KEEL_LAB_STATE/state.json). Display states are stored as
// the coordinator would report them; timed transitions wait in `events` and are applied lazily.
// zod/mini: the schemas run on every tool invocation, and full zod doubles a run's start-up cost.
import * as z from "zod/mini";
import { KNOWN_NODE_STATES, KNOWN_NODE_TYPES, KNOWN_RP_STATES } from "../../../lib/engines/machbase/vocabulary";

export const NodeProcessSchema = z.enum(["running", "starting", "stopped", "down"]);
export type NodeProcess = z.infer<typeof NodeProcessSchema>;

export const NodeRoleSchema = z.enum(["primary", "normal", "leader"]);
export type NodeRole = z.infer<typeof NodeRoleSchema>;

export const SimNodeSchema = z.object({
  name: z.string().check(z.minLength(1)),
  type: z.enum(KNOWN_NODE_TYPES),
  group: z.string().check(z.minLength(1)),
  /** The state the node returns to when healthy (coordinator primary, broker leader, …). */
  role: NodeRoleSchema,
  desired: z.enum(KNOWN_NODE_STATES),
  actual: z.enum(KNOWN_NODE_STATES),
  rp: z.enum(KNOWN_RP_STATES),
  process: NodeProcessSchema,
  /** Registered package a broker/warehouse was installed from; null for coordinator/deployer. */
  packageName: z.nullable(z.string()),
  release: z.string().check(z.minLength(1)),
  homePath: z.string(),
  /** Set by --snapshot-recover, required by --exec-sync, cleared when the sync ends. */
  snapshotRecovered: z.boolean(),
});
export type SimNode = z.infer<typeof SimNodeSchema>;

export const SimEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("detect-failure"), node: z.string(), at: z.number() }),
  z.object({ kind: z.literal("node-up"), node: z.string(), at: z.number() }),
  z.object({ kind: z.literal("sync-start"), node: z.string(), source: z.string(), at: z.number() }),
  z.object({ kind: z.literal("sync-done"), node: z.string(), source: z.string(), at: z.number() }),
]);
export type SimEvent = z.infer<typeof SimEventSchema>;

export const PackageSchema = z.object({
  name: z.string().check(z.minLength(1)),
  fileName: z.string().check(z.minLength(1)),
  fileSize: z.int().check(z.minimum(0)),
  release: z.string().check(z.minLength(1)),
});
export type SimPackage = z.infer<typeof PackageSchema>;

export const SnapshotSchema = z.object({
  group: z.string(),
  at: z.number(),
  trigger: z.enum(["initial", "auto", "manual"]),
});

export const ClusterStateSchema = z.object({
  schemaVersion: z.literal(1),
  nodes: z.array(SimNodeSchema).check(z.minLength(1)),
  /** --set-group-state=readonly pins a group readonly (the tool's `Flag : 1`). */
  readonlyFlags: z.record(z.string(), z.boolean()),
  snapshotIntervalSec: z.int().check(z.minimum(0)),
  lastAutoSnapshot: z.object({ at: z.number(), groupIndex: z.int().check(z.minimum(0)) }),
  snapshots: z.array(SnapshotSchema),
  packages: z.array(PackageSchema),
  /** A DDL held open by the fault injector; only reported (`--cluster-node`), it blocks nothing. */
  ddl: z.nullable(z.object({ statement: z.string(), since: z.number() })),
  events: z.array(SimEventSchema),
  updatedAt: z.number(),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export function findNode(state: ClusterState, name: string): SimNode | undefined {
  return state.nodes.find((n) => n.name === name);
}

export function warehouseGroups(state: ClusterState): string[] {
  return [...new Set(state.nodes.filter((n) => n.type === "warehouse").map((n) => n.group))];
}
