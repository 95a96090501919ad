import { parseError, type CfgEntry, type CfgFile, type ParseResult, type ParseWarning } from "./types";

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*?)(?:_(\d+))?\s*=(.*)$/;

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Parses a ProSync cfg file: `KEY=VALUE` or `KEY = VALUE`, `#` comments (whole-line or trailing),
 * indexed keys (`AGENT_ID_1`). Duplicate keys are kept and flagged; the last one wins in `cfgGet`.
 */
export function parseCfg(text: string): ParseResult<CfgFile & { warnings: ParseWarning[] }> {
  const entries: CfgEntry[] = [];
  const warnings: ParseWarning[] = [];
  const firstSeen = new Map<string, number>();
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const lineNumber = i + 1;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const m = ASSIGN.exec(line.replace(/^\s+/, "")); // trailing blanks may belong to a comment
    if (!m || m[1] === undefined) return parseError("expected KEY=VALUE or a # comment", line, lineNumber);
    const rest = m[3] ?? "";
    const hash = rest.indexOf("#");
    const value = (hash < 0 ? rest : rest.slice(0, hash)).trim();
    const key = m[2] !== undefined ? `${m[1]}_${m[2]}` : m[1];
    const entry: CfgEntry = { key, base: m[1], value, lineNumber };
    if (m[2] !== undefined) entry.index = Number(m[2]);
    if (hash >= 0) entry.comment = rest.slice(hash + 1);
    const seen = firstSeen.get(key);
    if (seen !== undefined) warnings.push({ message: `duplicate key ${key} (first at line ${seen})`, lineNumber });
    else firstSeen.set(key, lineNumber);
    entries.push(entry);
  }
  return { ok: true, value: { entries, warnings } };
}

export function cfgGet(cfg: CfgFile, key: string): CfgEntry | undefined {
  for (let i = cfg.entries.length - 1; i >= 0; i--) {
    const e = cfg.entries[i];
    if (e && e.key === key) return e;
  }
  return undefined;
}

/** All entries sharing a base key, by index (`AGENT_ID_0`, `AGENT_ID_1`, …). */
export function cfgIndexed(cfg: CfgFile, base: string): Map<number, CfgEntry> {
  const out = new Map<number, CfgEntry>();
  for (const e of cfg.entries) if (e.base === base && e.index !== undefined) out.set(e.index, e);
  return out;
}
