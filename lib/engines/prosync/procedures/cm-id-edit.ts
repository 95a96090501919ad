// Seed 003 §5.3: `CM_ID=<n>` as the first setting of the node's cm_<SID>.tip. A guarded edit: a tip that
// already says CM_ID=<n> is left alone (never twice), one with another CM_ID is refused rather than
// overwritten, and the file is rewritten in place (its owner and mode stay).
import type { CheckResult, ProbeOutput } from "../../../runs/model";
import { parseTip } from "../../tibero/parse-tip";

const TIP = '"${TB_HOME:?TB_HOME is not set on this host}/config/cm_${TB_SID:?TB_SID is not set on this host}.tip"';

// $1 = the CM_ID (digits only, validated by the schema).
export const ADD_CM_ID_SCRIPT =
  `f=${TIP}; [ -f "$f" ] || { echo "$f not found" >&2; exit 1; }; ` +
  `cur=$(sed -n 's/^[[:space:]]*CM_ID[[:space:]]*=[[:space:]]*\\([0-9]*\\).*/\\1/p' "$f" | head -n 1); ` +
  'if [ -n "$cur" ]; then [ "$cur" = "$1" ] && { echo "CM_ID=$1 is already set in $f"; exit 0; }; ' +
  'echo "$f already has CM_ID=$cur, not $1: correct it by hand" >&2; exit 1; fi; ' +
  't=$(mktemp "$f.XXXXXX") || exit 1; ' +
  `awk -v id="$1" '!done && /^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=/ { print "CM_ID=" id; done = 1 } { print } END { if (!done) print "CM_ID=" id }' "$f" > "$t" ` +
  '&& cat "$t" > "$f"; rc=$?; rm -f "$t"; [ "$rc" -eq 0 ] && echo "CM_ID=$1 added to $f"; exit "$rc"';

export const addCmIdArgv = (cmId: number): string[] => ["sh", "-c", ADD_CM_ID_SCRIPT, "sh", String(cmId)];

export const SHOW_CM_TIP_SCRIPT = `cat -- ${TIP}`;

/** The tip's first setting is CM_ID=<n>, and it appears once. */
export function cmIdFirst(output: ProbeOutput, cmId: number): CheckResult {
  if (output.exitCode !== 0) return { ok: false, reason: `the CM tip could not be read: ${output.stderr.trim() || `exit ${output.exitCode}`}` };
  const tip = parseTip(output.stdout);
  if (!tip.ok) return { ok: false, reason: `the CM tip is unreadable at line ${tip.error.lineNumber}: ${tip.error.message}` };
  const [first] = tip.value.entries;
  const ids = tip.value.entries.filter((e) => e.key.toUpperCase() === "CM_ID");
  if (ids.length > 1) return { ok: false, reason: `CM_ID is set ${ids.length} times (lines ${ids.map((e) => e.lineNumber).join(", ")}); keep only the first` };
  if (!first || first.key.toUpperCase() !== "CM_ID") return { ok: false, reason: `the first setting is ${first ? `${first.key} (line ${first.lineNumber})` : "missing"}, not CM_ID` };
  return first.value === String(cmId) ? { ok: true } : { ok: false, reason: `CM_ID is ${first.value}, expected ${cmId}` };
}
