// Which gcware snapshot is newer: term first, then index — compared as numbers, never as text
// (SNAPSHOT.10.1 is newer than SNAPSHOT.9.99999).
import type { GcwareSnapshots, SnapshotId } from "./types";

export function compareSnapshotIds(a: SnapshotId, b: SnapshotId): number {
  return a.term !== b.term ? a.term - b.term : a.index - b.index;
}

export const isNewerSnapshot = (candidate: SnapshotId, than: SnapshotId | null): boolean =>
  than === null || compareSnapshotIds(candidate, than) > 0;

export type FlushProgress = "completed" | "in-progress" | "not-started";

/**
 * The seed's success test for one gcware node: a snapshot newer than the one seen before the flush
 * exists and no `.s` directory is left.
 */
export function flushProgress(before: SnapshotId | null, after: GcwareSnapshots): FlushProgress {
  const advanced = after.newest !== null && isNewerSnapshot(after.newest, before);
  if (after.inProgress.length > 0) return "in-progress";
  return advanced ? "completed" : "not-started";
}

export const snapshotName = (id: SnapshotId, inProgress = false): string =>
  `SNAPSHOT.${id.term}.${id.index}${inProgress ? ".s" : ""}`;
