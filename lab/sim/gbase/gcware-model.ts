// State transitions of the gcware state machine: log entries, elections, and the asynchronous
// snapshot flush. Pure functions over ClusterState; time comes in as numbers.
import { REDOLOG_ENTRY_BYTES, REDOLOG_HEADER_BYTES, type ClusterState, type Coordinator, type GcwareNode } from "./state";

/** How long a flush takes at time scale 1 ("a few seconds"). */
export const FLUSH_DURATION_MS = 3000;
/** Completed snapshots each node keeps (the seed's listing shows two). */
const SNAPSHOTS_KEPT = 2;

export function gcwareOf(state: ClusterState, coordinator: Coordinator): GcwareNode {
  const node = state.gcware[coordinator.name];
  if (!node) throw new Error(`state has no gcware record for ${coordinator.name}`);
  return node;
}

export const openGcwares = (state: ClusterState): Coordinator[] => state.coordinators.filter((c) => c.gcware === "OPEN");

function newestRedolog(node: GcwareNode) {
  return node.redologs.reduce<GcwareNode["redologs"][number] | undefined>((a, r) => (!a || r.index > a.index ? r : a), undefined);
}

function applyEntries(node: GcwareNode, upTo: number): void {
  const missing = upTo - node.appliedIndex;
  if (missing <= 0) return;
  const redo = newestRedolog(node);
  if (redo) redo.sizeBytes += missing * REDOLOG_ENTRY_BYTES;
  else node.redologs.push({ index: node.appliedIndex + 1, sizeBytes: REDOLOG_HEADER_BYTES + missing * REDOLOG_ENTRY_BYTES });
  node.appliedIndex = upTo;
}

/** Appends one entry (a membership or service change, a flush command) to every running gcware. */
export function appendEntry(state: ClusterState): void {
  const open = openGcwares(state);
  if (open.length === 0) return;
  state.commitIndex += 1;
  for (const c of open) applyEntries(gcwareOf(state, c), state.commitIndex);
}

export type StartOutcome = "started" | "already-open" | "refused";

export function startGcware(state: ClusterState, coordinator: Coordinator, opts: { ignoreRefusal?: boolean } = {}): StartOutcome {
  const node = gcwareOf(state, coordinator);
  if (coordinator.gcware === "OPEN") return "already-open";
  if (node.faults.refuseOpen && !opts.ignoreRefusal) return "refused";
  // The first gcware up after all were down holds an election: a new term begins.
  if (openGcwares(state).length === 0) state.term += 1;
  coordinator.gcware = "OPEN";
  applyEntries(node, state.commitIndex);
  appendEntry(state);
  return "started";
}

export function stopGcware(state: ClusterState, coordinator: Coordinator): void {
  if (coordinator.gcware === "CLOSE") return;
  const node = gcwareOf(state, coordinator);
  coordinator.gcware = "CLOSE";
  if (node.pendingFlush) {
    node.abandonedFlushes.push({ term: node.pendingFlush.term, index: node.pendingFlush.index });
    node.pendingFlush = null;
  }
  appendEntry(state);
}

/**
 * gcware.flush_statemachine() sent through `via`'s gcware: 1 when sent, 0 when that gcware is down.
 * Every running gcware starts writing SNAPSHOT.<term>.<index>.s; one already flushing ignores it.
 */
export function requestFlush(state: ClusterState, via: Coordinator, nowMs: number, durationMs: number): 0 | 1 {
  if (via.gcware !== "OPEN") return 0;
  appendEntry(state);
  for (const c of openGcwares(state)) {
    const node = gcwareOf(state, c);
    if (node.pendingFlush) continue;
    node.pendingFlush = { term: state.term, index: state.commitIndex, dueAtMs: nowMs + durationMs };
  }
  return 1;
}

function completeFlush(node: GcwareNode): void {
  const flush = node.pendingFlush;
  if (!flush) return;
  node.pendingFlush = null;
  node.abandonedFlushes = [];
  const id = { term: flush.term, index: flush.index };
  node.snapshots = [...node.snapshots, id]
    .sort((a, b) => a.term - b.term || a.index - b.index)
    .slice(-SNAPSHOTS_KEPT);
  const oldestKept = node.snapshots[0]?.index ?? id.index;
  // Entries up to the snapshot are compacted out of the logs; later ones start the new REDOLOG.
  node.redologs = [
    ...node.redologs.filter((r) => r.index >= oldestKept && r.index < id.index).map((r) => ({ index: r.index, sizeBytes: REDOLOG_HEADER_BYTES })),
    { index: id.index, sizeBytes: REDOLOG_HEADER_BYTES + Math.max(0, node.appliedIndex - id.index) * REDOLOG_ENTRY_BYTES },
  ];
}

/** Completes every flush whose time has come; a node with the hang fault never completes. */
export function settleFlushes(state: ClusterState, nowMs: number): void {
  for (const node of Object.values(state.gcware)) {
    if (node.pendingFlush && !node.faults.hangFlush && node.pendingFlush.dueAtMs <= nowMs) completeFlush(node);
  }
}
