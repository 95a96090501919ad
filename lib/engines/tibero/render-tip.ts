import type { TipEntry, TipFile } from "./types";

export function renderTipEntry(e: Pick<TipEntry, "key" | "raw" | "comment">): string {
  return `${e.key}=${e.raw}${e.comment !== undefined ? ` #${e.comment}` : ""}`;
}

/** Renders entries and kept comment/blank lines in line-number order. */
export function renderTip(file: TipFile): string {
  const lines: { lineNumber: number; text: string }[] = [
    ...file.otherLines,
    ...file.entries.map((e) => ({ lineNumber: e.lineNumber, text: renderTipEntry(e) })),
  ];
  lines.sort((a, b) => a.lineNumber - b.lineNumber);
  return lines.map((l) => `${l.text}\n`).join("");
}

/** Builds a tip file text from plain key/value pairs (values written as given). */
export function tipFromPairs(pairs: ReadonlyArray<readonly [string, string]>, header: string[] = []): string {
  return [...header, ...pairs.map(([k, v]) => `${k}=${v}`)].map((l) => `${l}\n`).join("");
}
