import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseTip, tipGet } from "../../../lib/engines/tibero/parse-tip";
import type { TipEntry, TipFileParsed } from "../../../lib/engines/tibero/types";
import type { LabEnv } from "./context";

export type LoadedTip = { path: string; file: TipFileParsed; get: (key: string) => TipEntry | undefined };

/** Reads and parses a tip file; the error names file and line, as Tibero's own tip errors do. */
export async function loadTip(file: string): Promise<LoadedTip | string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return `cannot open tip file ${file}`;
  }
  const parsed = parseTip(text);
  if (!parsed.ok) return `${file}:${parsed.error.lineNumber}: ${parsed.error.message}: ${parsed.error.line}`;
  const tip = parsed.value;
  return { path: file, file: tip, get: (key) => tipGet(tip, key) };
}

export function instanceTipPath(env: LabEnv): string | undefined {
  return env.tbHome && env.tbSid ? path.join(env.tbHome, "config", `${env.tbSid}.tip`) : undefined;
}

/** Seed 003 §5.3: the CM reads `$TB_HOME/config/cm_<TB_SID>.tip` (or `$CM_SID.tip` when CM_SID is set). */
export function cmTipPath(env: LabEnv): string | undefined {
  if (!env.tbHome) return undefined;
  const sid = env.cmSid ?? (env.tbSid ? `cm_${env.tbSid}` : undefined);
  return sid ? path.join(env.tbHome, "config", `${sid}.tip`) : undefined;
}

export function where(tip: LoadedTip, entry: TipEntry | undefined): string {
  return entry ? `${tip.path}:${entry.lineNumber}` : tip.path;
}
