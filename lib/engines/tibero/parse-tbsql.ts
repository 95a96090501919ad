import { splitLines } from "./parse-cmrctl";
import { TBR_LINE } from "./messages";
import type { TbbootOutcome, TbsqlOutcome } from "./types";

const PROMPT = /^\s*(?:SQL>\s*)?/;

/**
 * Statement outcomes in a tbsql transcript, in order. Echoed SQL, banners and prompts are skipped, so
 * this accepts both the seed's interactive transcripts and the lab's piped output; it never fails.
 */
export function parseTbsqlOutcomes(text: string): TbsqlOutcome[] {
  const outcomes: TbsqlOutcome[] = [];
  splitLines(text).forEach((raw, i) => {
    const lineNumber = i + 1;
    const err = TBR_LINE.exec(raw);
    if (err && err[1] !== undefined) {
      outcomes.push({ kind: "error", code: Number(err[1]), message: err[2] ?? "", lineNumber });
      return;
    }
    const line = raw.replace(PROMPT, "").trim();
    if (line === "Database created.") outcomes.push({ kind: "database-created", lineNumber });
    else if (line === "Database altered.") outcomes.push({ kind: "database-altered", lineNumber });
    else {
      const ts = /^Tablespace '([^']+)' created\.$/.exec(line);
      if (ts && ts[1] !== undefined) outcomes.push({ kind: "tablespace-created", name: ts[1], lineNumber });
    }
  });
  return outcomes;
}

/** tbboot output: the mode it reached (NOMOUNT, MOUNT, NORMAL) and any TBR errors. */
export function parseTbboot(text: string): TbbootOutcome {
  const outcome: TbbootOutcome = { errors: [] };
  splitLines(text).forEach((line, i) => {
    const started = /^\s*Tibero instance started up \((\w+) mode\)\.\s*$/.exec(line);
    if (started && started[1]) outcome.startedMode = started[1];
    const port = /^\s*listener port = (\S+)\s*$/.exec(line);
    if (port && port[1]) outcome.listenerPort = port[1];
    const err = TBR_LINE.exec(line);
    if (err && err[1] !== undefined) outcome.errors.push({ code: Number(err[1]), message: err[2] ?? "", lineNumber: i + 1 });
  });
  return outcome;
}

export type TbcmOutcome = { started: boolean; stopped: boolean; localNode?: { cmName: string; port: number }; errors: TbbootOutcome["errors"] };

/** `tbcm -b` / `tbcm -d` output: whether the CM came up (and as which node) or went down, and TBR errors. */
export function parseTbcm(text: string): TbcmOutcome {
  const outcome: TbcmOutcome = { started: false, stopped: false, errors: [] };
  splitLines(text).forEach((line, i) => {
    if (/^\s*Tibero cluster manager started up\.\s*$/.test(line)) outcome.started = true;
    if (/^\s*CM DOWN SUCCESS!\s*$/.test(line)) outcome.stopped = true;
    const node = /^\s*Local node name is \((\S+):(\d+)\)\.\s*$/.exec(line);
    if (node && node[1] && node[2]) outcome.localNode = { cmName: node[1], port: Number(node[2]) };
    const err = TBR_LINE.exec(line);
    if (err && err[1] !== undefined) outcome.errors.push({ code: Number(err[1]), message: err[2] ?? "", lineNumber: i + 1 });
  });
  return outcome;
}
