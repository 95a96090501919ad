import { formatMs, formatRatio, median, percentile } from "./stats";

export type ToolSamples = { tool: string; note: string; samples: number[] };
// met: null marks a context row that has no goal.
export type Goal = { label: string; ratio: number; target: string; met: boolean | null };

export function printTable(rows: readonly ToolSamples[], hosts: number): void {
  const header = ["tool", "rounds", "median", "p95", "min", "max", "hosts ok", "how"];
  const body = rows.map((r) => [
    r.tool,
    String(r.samples.length),
    formatMs(median(r.samples)),
    formatMs(percentile(r.samples, 95)),
    formatMs(Math.min(...r.samples)),
    formatMs(Math.max(...r.samples)),
    `${hosts}/${hosts} every round`,
    r.note,
  ]);
  printAligned([header, ...body]);
}

export function printGoals(goals: readonly Goal[]): void {
  printAligned([["ratio", "measured", "goal", ""], ...goals.map((g) => [g.label, formatRatio(g.ratio), g.target, g.met === null ? "(context)" : g.met ? "MET" : "MISSED"])]);
}

function printAligned(rows: readonly string[][]): void {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
  const line = (r: readonly string[]) => r.map((cell, col) => cell.padEnd(widths[col]!)).join("  ").trimEnd();
  console.log(line(rows[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}
