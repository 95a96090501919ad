// Per-node snapshot versions for the gcware snapshot panel and the flush procedure (seed 002 §1, §3):
// one node's `ls -l` of $GCWARE_BASE/data/gcware → newest SNAPSHOT.<term>.<index>, flushes in
// progress (`.s`) and REDOLOG sizes; and a recorded listing beside a current one → how far the flush got.
import { parseGcwareSnapshots } from "./parse-snapshots";
import { flushProgress, snapshotName, type FlushProgress } from "./snapshot-id";
import { unreadable } from "../../status/health";
import type { GcwareSnapshots } from "./types";

export type GcwareSnapshotPanelRow = {
  node: string;
  host: string | null;
  /** Newest completed snapshot as `term.index`, null when none (or the listing failed). */
  newest: string | null;
  inProgress: string[];
  redologs: { name: string; sizeBytes: number | null }[];
  error: string | null;
  flags: string[];
};

/** A panel row from one node's listing; a listing that does not parse is the row's error. */
export function snapshotPanelRow(node: string, host: string | null, listing: string): GcwareSnapshotPanelRow {
  const parsed = parseGcwareSnapshots(listing);
  if (!parsed.ok) {
    return { node, host, newest: null, inProgress: [], redologs: [], flags: [], error: unreadable("ls of the gcware data directory", parsed.error) };
  }
  const s = parsed.value.snapshots;
  return {
    node,
    host,
    newest: s.newest ? `${s.newest.term}.${s.newest.index}` : null,
    inProgress: s.inProgress.map((p) => `${p.term}.${p.index}`),
    redologs: s.redologs.map((r) => ({ name: r.name, sizeBytes: r.sizeBytes })),
    error: null,
    flags: parsed.value.warnings.map((w) => `line ${w.lineNumber}: ${w.message}`),
  };
}

/** The line between the recorded listing and the current one in the flush procedure's probe output. */
export const RECORD_SEPARATOR = "--- keel: gcware data directory now ---";

export type FlushComparison = { before: GcwareSnapshots; after: GcwareSnapshots; progress: FlushProgress };

/** `<recorded listing>\n<separator>\n<current listing>` → the seed's success test for one node. */
export function compareRecorded(output: string): { ok: true; value: FlushComparison } | { ok: false; reason: string } {
  const at = output.indexOf(`${RECORD_SEPARATOR}\n`);
  if (at < 0) return { ok: false, reason: "the probe printed no current listing (was the snapshot version recorded on this node?)" };
  const before = parseGcwareSnapshots(output.slice(0, at));
  if (!before.ok) return { ok: false, reason: unreadable("the recorded listing", before.error) };
  const after = parseGcwareSnapshots(output.slice(at + RECORD_SEPARATOR.length + 1));
  if (!after.ok) return { ok: false, reason: unreadable("the current listing", after.error) };
  const b = before.value.snapshots;
  const a = after.value.snapshots;
  return { ok: true, value: { before: b, after: a, progress: flushProgress(b.newest, a) } };
}

const nameOr = (s: GcwareSnapshots): string => (s.newest ? snapshotName(s.newest) : "no snapshot");

/** One line per node while waiting and in the summary: `coordinator1: SNAPSHOT.142.37975 → SNAPSHOT.142.38390 (done)`. */
export function describeComparison(node: string, c: FlushComparison): string {
  const pending = c.after.inProgress.map((id) => snapshotName(id, true));
  switch (c.progress) {
    case "completed":
      return `${node}: ${nameOr(c.before)} → ${nameOr(c.after)} (flushed)`;
    case "in-progress":
      return `${node}: ${nameOr(c.before)}, writing ${pending.join(", ")} (flush in progress)`;
    case "not-started":
      return `${node}: still ${nameOr(c.after)}, no newer snapshot than the recorded ${nameOr(c.before)} yet`;
  }
}
