// A listing of $GCWARE_BASE/data/gcware (`ls -l`, `ll` or plain `ls`) → snapshots, flushes in
// progress and REDOLOG sizes. Unknown names are kept and flagged; lines that are not a listing
// (ls errors, truncated `ls -l` rows) are errors naming the line.
import { compareSnapshotIds } from "./snapshot-id";
import {
  fail,
  ok,
  type GcwareListing,
  type GcwareSnapshots,
  type ListingEntry,
  type ParseResult,
  type ParseWarning,
  type RedoLog,
  type SnapshotDir,
  type SnapshotsParse,
} from "./types";

const MODE = String.raw`[-dlcbps][-rwxsStT]{9}[.+@]?`;
const DATE = String.raw`(?:\S+\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s+[+-]\d{4})?)`;
const LONG_LINE = new RegExp(String.raw`^(${MODE})\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(${DATE})\s+(\S+)(?: -> .*)?$`);
const LOOKS_LONG = new RegExp(`^${MODE}\\s`);
const TOTAL_LINE = /^total\s+(\d+)$/;
const LS_ERROR = /^(?:ls:|.*: (?:No such file or directory|Permission denied)$)/;

const SNAPSHOT_NAME = /^SNAPSHOT\.(\d{1,15})\.(\d{1,15})(\.s)?\/?$/;
const REDOLOG_NAME = /^REDOLOG\.(\d{1,15})\/?$/;
const META_NAME = /^GCWARE_META\.[A-Z]$/;

export function parseGcwareListing(text: string): ParseResult<GcwareListing> {
  const read = readListing(text);
  return read.ok ? ok(read.value.listing) : read;
}

function readListing(text: string): ParseResult<{ listing: GcwareListing; lineNumbers: number[] }> {
  const lineNumbers: number[] = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let format: GcwareListing["format"] | null = null;
  let totalBlocks: number | null = null;
  const entries: ListingEntry[] = [];
  for (const [n, raw] of lines.entries()) {
    const line = raw.trimEnd();
    const lineNumber = n + 1;
    if (line.trim() === "") continue;
    if (LS_ERROR.test(line)) return fail("ls reported an error", raw, lineNumber);
    const total = TOTAL_LINE.exec(line);
    if (total && format !== "short" && entries.length === 0 && totalBlocks === null) {
      format = "long";
      totalBlocks = Number(total[1]);
      continue;
    }
    if (format === null) format = LOOKS_LONG.test(line) ? "long" : "short";
    if (format === "long") {
      const m = LONG_LINE.exec(line);
      if (!m) return fail("not an `ls -l` line", raw, lineNumber);
      lineNumbers.push(lineNumber);
      entries.push({
        name: m[7] ?? "",
        long: {
          mode: m[1] ?? "",
          links: Number(m[2]),
          owner: m[3] ?? "",
          group: m[4] ?? "",
          sizeBytes: Number(m[5]),
          modified: (m[6] ?? "").trim(),
        },
      });
      continue;
    }
    if (LOOKS_LONG.test(line)) return fail("an `ls -l` line inside a short `ls` listing", raw, lineNumber);
    for (const name of line.trim().split(/\s+/)) {
      lineNumbers.push(lineNumber);
      entries.push({ name, long: null });
    }
  }
  return ok({ listing: { format: format ?? "short", totalBlocks, entries }, lineNumbers });
}

export function parseGcwareSnapshots(text: string): ParseResult<SnapshotsParse> {
  const read = readListing(text);
  if (!read.ok) return read;
  const { listing, lineNumbers: lineOf } = read.value;
  const warnings: ParseWarning[] = [];
  const snapshots: SnapshotDir[] = [];
  const redologs: RedoLog[] = [];
  const unknownNames: string[] = [];
  for (const [i, entry] of listing.entries.entries()) {
    const lineNumber = lineOf[i] ?? 1;
    const type = entry.long?.mode[0] ?? null;
    const snap = SNAPSHOT_NAME.exec(entry.name);
    if (snap) {
      if (type !== null && type !== "d")
        warnings.push({ kind: "unexpected-type", message: `${entry.name} is not a directory`, lineNumber });
      snapshots.push({ name: entry.name, term: Number(snap[1]), index: Number(snap[2]), inProgress: snap[3] !== undefined });
      continue;
    }
    const redo = REDOLOG_NAME.exec(entry.name);
    if (redo) {
      if (type !== null && type !== "-")
        warnings.push({ kind: "unexpected-type", message: `${entry.name} is not a regular file`, lineNumber });
      redologs.push({ name: entry.name, index: Number(redo[1]), sizeBytes: entry.long?.sizeBytes ?? null });
      continue;
    }
    if (META_NAME.test(entry.name) || entry.name === "." || entry.name === "..") continue;
    unknownNames.push(entry.name);
    warnings.push({ kind: "unknown-entry", message: `unexpected entry '${entry.name}'`, lineNumber });
  }
  snapshots.sort((a, b) => compareSnapshotIds(b, a) || Number(a.inProgress) - Number(b.inProgress));
  redologs.sort((a, b) => a.index - b.index);
  const newestDir = snapshots.find((s) => !s.inProgress);
  const value: GcwareSnapshots = {
    listing,
    snapshots,
    newest: newestDir ? { term: newestDir.term, index: newestDir.index } : null,
    inProgress: snapshots.filter((s) => s.inProgress).map(({ term, index }) => ({ term, index })),
    redologs,
    unknownNames,
  };
  return ok({ snapshots: value, warnings });
}
