// What `python` printed around `gcware.flush_statemachine()`: either bare stdout ("1") or a whole
// terminal transcript as in the seed (banner, `>>>` prompts with the typed input, replies).
// A reply of 1 only means the flush request was sent; the flush itself is asynchronous.
import { fail, ok, type ParseResult } from "./types";

export type FlushReplies = {
  /** Every integer the session printed, in order (1 = request sent). */
  replies: number[];
  /** Final line of each Python traceback or SyntaxError, e.g. "ImportError: No module named gcware". */
  pythonErrors: string[];
};

const BANNER = [/^Python \d+\.\d+/, /^\[GCC .*\] on \S+$/, /^Type "help", "copyright", "credits" or "license"/];
const PROMPT = /^(?:>>> ?|\.\.\. ?)/;
const QUIT_HINT = /^Use (?:quit|exit)\(\) or Ctrl-D \(i\.e\. EOF\) to exit$/;
const TRACEBACK_BODY = /^(?:Traceback \(most recent call last\):|  File ".*", line \d+.*|    .*)$/;
const ERROR_LINE = /^([A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception|Exit)): .*$/;

export function parseFlushReplies(text: string): ParseResult<FlushReplies> {
  const replies: number[] = [];
  const pythonErrors: string[] = [];
  for (const [n, raw] of text.replace(/\r\n/g, "\n").split("\n").entries()) {
    let line = raw.trimEnd();
    // Prompts written to a merged stream share a line with the reply that follows them.
    let sawPrompt = false;
    while (PROMPT.test(line)) {
      line = line.replace(PROMPT, "");
      sawPrompt = true;
    }
    if (line.trim() === "") continue;
    if (/^-?\d+$/.test(line)) {
      replies.push(Number(line));
      continue;
    }
    if (sawPrompt) continue; // the typed input echoed by the terminal
    if (BANNER.some((b) => b.test(line)) || QUIT_HINT.test(line) || TRACEBACK_BODY.test(line)) continue;
    const err = ERROR_LINE.exec(line);
    if (err) {
      pythonErrors.push(line);
      continue;
    }
    return fail("unexpected line in python output", raw, n + 1);
  }
  return ok({ replies, pythonErrors });
}

/** True when the session sent at least one flush request and raised nothing. */
export const flushRequestSent = (r: FlushReplies): boolean => r.replies.includes(1) && r.pythonErrors.length === 0;
