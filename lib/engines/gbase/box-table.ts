// The `|`-and-dashes boxes gcadmin prints: a `=` border, a centred title, a `=` border, a header
// row, then each row followed by a `-` rule. One generic reader/writer serves every gcadmin table.

export type BoxTable = {
  title: string;
  headers: string[];
  rows: string[][];
};

export type LocatedBoxTable = BoxTable & {
  titleLineNumber: number;
  headerLineNumber: number;
  rowLineNumbers: number[];
};

export type BoxTableError = { message: string; line: string; lineNumber: number };

const isRule = (line: string, ch: "=" | "-"): boolean => line.length > 0 && [...line].every((c) => c === ch);
export const isEqualsRule = (line: string): boolean => isRule(line, "=");
const isDashRule = (line: string): boolean => isRule(line, "-");
const isBoxRow = (line: string): boolean => line.length >= 2 && line.startsWith("|") && line.endsWith("|");
const cellsOf = (line: string): string[] => line.slice(1, -1).split("|").map((c) => c.trim());

/** Reads one table starting at lines[start] (an `=` rule); line numbers are 1-based. */
export function readBoxTable(
  lines: readonly string[],
  start: number,
): { ok: true; table: LocatedBoxTable; next: number } | { ok: false; error: BoxTableError } {
  const at = (i: number) => lines[i] ?? "";
  const err = (message: string, i: number) =>
    ({ ok: false, error: { message, line: at(i), lineNumber: i + 1 } }) as const;

  if (!isEqualsRule(at(start))) return err("expected a table border of '='", start);
  const titleLine = at(start + 1);
  if (!isBoxRow(titleLine) || cellsOf(titleLine).length !== 1) return err("expected a table title row", start + 1);
  const title = cellsOf(titleLine)[0] ?? "";
  if (title === "") return err("table title is empty", start + 1);
  if (!isEqualsRule(at(start + 2))) return err("expected a '=' border under the table title", start + 2);
  const headerLine = at(start + 3);
  if (!isBoxRow(headerLine)) return err("expected the table's header row", start + 3);
  const headers = cellsOf(headerLine);
  if (headers.some((h) => h === "")) return err("a column header is empty", start + 3);
  if (!isDashRule(at(start + 4))) return err("expected a '-' rule under the header row", start + 4);

  const rows: string[][] = [];
  const rowLineNumbers: number[] = [];
  let i = start + 5;
  while (i < lines.length && isBoxRow(at(i))) {
    const cells = cellsOf(at(i));
    if (cells.length !== headers.length)
      return err(`row has ${cells.length} cells but the header has ${headers.length} columns`, i);
    if (!isDashRule(at(i + 1))) return err("expected a '-' rule after the table row", i + 1);
    rows.push(cells);
    rowLineNumbers.push(i + 1);
    i += 2;
  }
  return {
    ok: true,
    table: { title, headers, rows, titleLineNumber: start + 2, headerLineNumber: start + 4, rowLineNumbers },
    next: i,
  };
}

function centre(text: string, width: number): string {
  const pad = width - text.length;
  const left = Math.floor(pad / 2);
  return " ".repeat(left) + text + " ".repeat(pad - left);
}

/**
 * Column width is the widest of header and cells (or `minContentWidths`, as gcadmin reserves
 * 40 characters for a data node's address) plus one space each side; text is centred with the odd
 * space on the right, exactly as the seed's tables are.
 */
export function renderBoxTable(table: BoxTable, minContentWidths: readonly number[] = []): string[] {
  const widths = table.headers.map(
    (h, c) => Math.max(h.length, minContentWidths[c] ?? 0, ...table.rows.map((r) => (r[c] ?? "").length)) + 2,
  );
  const inner = () => widths.reduce((a, b) => a + b, 0) + widths.length - 1;
  const shortfall = table.title.length + 2 - inner();
  if (shortfall > 0 && widths.length > 0) widths[widths.length - 1] = (widths[widths.length - 1] ?? 0) + shortfall;
  const total = inner() + 2;
  const row = (cells: readonly string[]) => "|" + widths.map((w, c) => centre(cells[c] ?? "", w)).join("|") + "|";
  const out = ["=".repeat(total), "|" + centre(table.title, total - 2) + "|", "=".repeat(total), row(table.headers)];
  out.push("-".repeat(total));
  for (const r of table.rows) out.push(row(r), "-".repeat(total));
  return out;
}
