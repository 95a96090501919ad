// The simulated cluster as stored in `$KEEL_LAB_STATE/state.json`. The gcware data directories on
// disk are a projection of `gcware[...]` (see disk.ts), so this file is the one source of truth.
import path from "node:path";
import { z } from "zod";
import { gbaseVersionSchema, type Topology } from "./topology";

export const serviceSchema = z.enum(["OPEN", "CLOSE"]);
export type Service = z.infer<typeof serviceSchema>;

const snapshotIdSchema = z.object({ term: z.number().int().nonnegative(), index: z.number().int().nonnegative() });

export const gcwareNodeSchema = z.object({
  /** $GCWARE_BASE of the host; the data directory is `<base>/data/gcware`. */
  base: z.string().min(1),
  appliedIndex: z.number().int().nonnegative(),
  /** Completed snapshots, oldest first. */
  snapshots: z.array(snapshotIdSchema),
  /** `.s` directories left behind by flushes interrupted when gcware stopped. */
  abandonedFlushes: z.array(snapshotIdSchema),
  redologs: z.array(z.object({ index: z.number().int().nonnegative(), sizeBytes: z.number().int().nonnegative() })),
  pendingFlush: snapshotIdSchema.extend({ dueAtMs: z.number() }).nullable(),
  faults: z.object({ refuseOpen: z.boolean(), hangFlush: z.boolean() }),
});
export type GcwareNode = z.infer<typeof gcwareNodeSchema>;

export const coordinatorSchema = z.object({
  name: z.string(),
  ip: z.string(),
  gcware: serviceSchema,
  gcluster: serviceSchema,
  gcrecover: serviceSchema,
  dataState: z.number().int().nonnegative(),
});
export type Coordinator = z.infer<typeof coordinatorSchema>;

export const dataNodeSchema = z.object({
  name: z.string(),
  ip: z.string(),
  distributionId: z.number().int().nonnegative(),
  gbase: serviceSchema,
  syncserver: serviceSchema,
  dataState: z.number().int().nonnegative(),
});
export type DataNode = z.infer<typeof dataNodeSchema>;

export const clusterStateSchema = z.object({
  schema: z.literal(1),
  version: gbaseVersionSchema,
  virtualClusterMode: z.string(),
  /** Raft-style term and last log index of the gcware state machine, cluster-wide. */
  term: z.number().int().nonnegative(),
  commitIndex: z.number().int().nonnegative(),
  coordinators: z.array(coordinatorSchema),
  dataNodes: z.array(dataNodeSchema),
  /** Keyed by coordinator name: every coordinator runs a gcware. */
  gcware: z.record(z.string(), gcwareNodeSchema),
});
export type ClusterState = z.infer<typeof clusterStateSchema>;

/** Bytes of a REDOLOG holding no entries: the "320 bytes" of the seed. */
export const REDOLOG_HEADER_BYTES = 320;
/** Bytes one state-machine entry adds to a REDOLOG. */
export const REDOLOG_ENTRY_BYTES = 2048;
/** Entries written since the initial snapshot, so the live REDOLOG starts out large. */
const INITIAL_UNSNAPSHOTTED_ENTRIES = 412;
const PREVIOUS_SNAPSHOT_DISTANCE = 2765;

export function initialState(topology: Topology, stateDir: string): ClusterState {
  const svc: Service = topology.initialServices === "open" ? "OPEN" : "CLOSE";
  const { term, index } = topology.initialSnapshot;
  const previous = { term: term - 1, index: Math.max(0, index - PREVIOUS_SNAPSHOT_DISTANCE) };
  const commitIndex = index + INITIAL_UNSNAPSHOTTED_ENTRIES;
  return {
    schema: 1,
    version: topology.version,
    virtualClusterMode: topology.virtualClusterMode,
    term,
    commitIndex,
    coordinators: topology.coordinators.map((c) => ({ name: c.name, ip: c.ip, gcware: svc, gcluster: svc, gcrecover: svc, dataState: 0 })),
    dataNodes: topology.dataNodes.map((d) => ({ name: d.name, ip: d.ip, distributionId: d.distributionId, gbase: svc, syncserver: svc, dataState: 0 })),
    gcware: Object.fromEntries(
      topology.coordinators.map((c) => [
        c.name,
        {
          base: c.gcwareBase ?? path.join(stateDir, "gcware_base", c.name),
          appliedIndex: commitIndex,
          snapshots: [previous, { term, index }],
          abandonedFlushes: [],
          redologs: [
            { index: previous.index, sizeBytes: REDOLOG_HEADER_BYTES },
            { index, sizeBytes: REDOLOG_HEADER_BYTES + INITIAL_UNSNAPSHOTTED_ENTRIES * REDOLOG_ENTRY_BYTES },
          ],
          pendingFlush: null,
          faults: { refuseOpen: false, hangFlush: false },
        } satisfies GcwareNode,
      ]),
    ),
  };
}
