import { splitLines } from "./parse-cmrctl";
import { parseSize } from "./size";
import { parseError, type ParseResult, type ParseWarning, type TipEntry, type TipFile, type TipFileParsed } from "./types";

const KEY = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/;

type ValuePart = { raw: string; value: string; quoted: boolean; comment?: string };

function splitValue(rest: string): ValuePart | string {
  const trimmed = rest.replace(/^\s+/, "");
  const quote = trimmed[0];
  if (quote === '"' || quote === "'") {
    const close = trimmed.indexOf(quote, 1);
    if (close < 0) return `unterminated ${quote} quote`;
    const after = trimmed.slice(close + 1);
    const tail = /^\s*(?:#(.*))?$/.exec(after);
    if (!tail) return "unexpected text after the closing quote";
    const part: ValuePart = { raw: trimmed.slice(0, close + 1), value: trimmed.slice(1, close), quoted: true };
    if (tail[1] !== undefined) part.comment = tail[1];
    return part;
  }
  const hash = trimmed.indexOf("#");
  const raw = (hash < 0 ? trimmed : trimmed.slice(0, hash)).trim();
  const part: ValuePart = { raw, value: raw, quoted: false };
  if (hash >= 0) part.comment = trimmed.slice(hash + 1);
  return part;
}

/** Parses a Tibero tip file (`$TB_SID.tip`, `cm_$TB_SID.tip`): KEY=VALUE lines, `#` comments, quoted values. */
export function parseTip(text: string): ParseResult<TipFileParsed> {
  const entries: TipEntry[] = [];
  const otherLines: TipFile["otherLines"] = [];
  const warnings: ParseWarning[] = [];
  const firstSeen = new Map<string, number>();
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const lineNumber = i + 1;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      otherLines.push({ text: line, lineNumber });
      continue;
    }
    const content = line.replace(/^\s+/, ""); // trailing blanks may belong to a comment
    const key = KEY.exec(content);
    if (!key || key[1] === undefined) return parseError("expected KEY=VALUE or a # comment", line, lineNumber);
    const part = splitValue(content.slice(key[0].length));
    if (typeof part === "string") return parseError(part, line, lineNumber);
    const entry: TipEntry = { key: key[1], value: part.value, raw: part.raw, quoted: part.quoted, lineNumber };
    const size = part.quoted ? undefined : parseSize(part.value);
    if (size) entry.size = size;
    if (part.comment !== undefined) entry.comment = part.comment;
    const seen = firstSeen.get(entry.key);
    if (seen !== undefined) warnings.push({ message: `duplicate key ${entry.key} (first at line ${seen})`, lineNumber });
    else firstSeen.set(entry.key, lineNumber);
    entries.push(entry);
  }
  return { ok: true, value: { entries, otherLines, warnings } };
}

/** The effective entry for a key: the last assignment wins, as in Tibero. */
export function tipGet(file: Pick<TipFile, "entries">, key: string): TipEntry | undefined {
  for (let i = file.entries.length - 1; i >= 0; i--) {
    const e = file.entries[i];
    if (e && e.key.toUpperCase() === key.toUpperCase()) return e;
  }
  return undefined;
}
