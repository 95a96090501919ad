// The small shell programs of the snapshot-flush procedure. Every value reaches them as a positional
// argument ($1, $2 …), never spliced into the script, so the script text is constant and argv is quoted
// once by the SSH layer.
import type { ArgvBuild } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import { flushStatemachineArgv, gcwareBaseSchema } from "../commands";
import { RECORD_SEPARATOR } from "../snapshot-panel";
import { gcwareBaseOverride } from "../status";

// $1 = a per-node GCWARE_BASE override (or empty), $2 = the cluster's GCWARE_BASE setting (or empty),
// $3 = the record file. The node's own $GCWARE_BASE wins over the setting, as in the status probe.
const RESOLVE =
  'if [ -n "$1" ]; then b=$1; else b=${GCWARE_BASE:-$2}; fi; ' +
  '[ -n "$b" ] || { echo "GCWARE_BASE is not set on this host and the cluster has no GCWARE_BASE setting" >&2; exit 2; }; ' +
  'd="$b/data/gcware"; r=$3; ';
const LIST = 'env LC_ALL=C ls -l --time-style=long-iso -- "$d"';

/**
 * Writes the listing once and prints it. A second run (a resumed plan) keeps the first record: after a
 * flush, recording again would make the new snapshot the baseline. A file someone else owns is refused.
 */
export const RECORD_SCRIPT =
  RESOLVE +
  'if [ -e "$r" ]; then [ -O "$r" ] || { echo "$r exists and is not owned by this user; refusing to trust it" >&2; exit 1; }; ' +
  `else umask 077; t=$(mktemp "$r.XXXXXX") || exit 1; ${LIST} > "$t" || { rm -f "$t"; exit 1; }; mv -f "$t" "$r" || exit 1; fi; ` +
  'cat "$r"';

/** The recorded listing, the separator line, then the listing now: one self-contained output to compare. */
export const COMPARE_SCRIPT =
  RESOLVE +
  '[ -f "$r" ] && [ -O "$r" ] || { echo "no snapshot version recorded at $r" >&2; exit 1; }; ' +
  `cat "$r"; echo '${RECORD_SEPARATOR}'; exec ${LIST}`;

/** `1` only means "sent" (seed 002 §2(4)); anything else, or no output, is a failed request. */
export const FLUSH_SCRIPT =
  'out=$("$@"); rc=$?; printf "%s\\n" "$out"; [ "$rc" -eq 0 ] || exit "$rc"; ' +
  '[ "$out" = 1 ] || { echo "gcware.flush_statemachine() returned ${out:-nothing}: the flush request was not sent" >&2; exit 1; }';

const NODE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Where a node's snapshot version before the flush is kept, on that node's host. */
export function recordPath(recordId: string, node: string): string {
  return `/tmp/keel-gcware-flush.${recordId}.${node}`;
}

function baseArg(value: string | number | null | undefined, field: string): { ok: true; value: string } | { ok: false; field: string; message: string } {
  if (value === undefined || value === null || value === "") return { ok: true, value: "" };
  const parsed = gcwareBaseSchema.safeParse(String(value).replace(/(.)\/+$/, "$1"));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, field, message: parsed.error.issues[0]?.message ?? "not a path" };
}

function nodeScript(script: string, settings: ProbeTarget["settings"], recordId: string, node: string): ArgvBuild {
  if (!NODE_NAME.test(node)) return { ok: false, field: "node", message: `gcware node name '${node}' is not a plain name` };
  const override = baseArg(gcwareBaseOverride(settings, node), `GCWARE_BASE@${node}`);
  if (!override.ok) return override;
  const fallback = baseArg(settings.GCWARE_BASE, "GCWARE_BASE");
  if (!fallback.ok) return fallback;
  return ["sh", "-c", script, "sh", override.value, fallback.value, recordPath(recordId, node)];
}

export const recordArgv = (settings: ProbeTarget["settings"], recordId: string, node: string): ArgvBuild =>
  nodeScript(RECORD_SCRIPT, settings, recordId, node);

export const compareArgv = (settings: ProbeTarget["settings"], recordId: string, node: string): ArgvBuild =>
  nodeScript(COMPARE_SCRIPT, settings, recordId, node);

export const flushArgv = (): string[] => ["sh", "-c", FLUSH_SCRIPT, "sh", ...flushStatemachineArgv()];
