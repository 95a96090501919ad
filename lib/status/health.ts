// Shared by the engine probers: running a command as a plain-sentence result, and turning the problems a
// prober found into the cluster's health and one actionable reason.
import type { ClusterObservation, Health, ObservedNode, RemoteRunner } from "./types";

export type HostError = ClusterObservation["errors"][number];

export type CommandResult =
  | { ok: true; stdout: string; stderr: string; exitCode: number }
  | { ok: false; message: string; stdout: string; stderr: string; exitCode: number | null };

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== "") ?? ""
  );
}

/**
 * Runs argv and folds transport failures, "command not found" and non-zero exits into `ok: false` with a
 * sentence naming the command. `acceptExit` lists other exit codes whose output is still meaningful.
 */
export async function runCommand(
  run: RemoteRunner,
  host: string,
  argv: string[],
  opts: { stdin?: string; timeoutMs?: number; acceptExit?: number[] } = {},
): Promise<CommandResult> {
  const { acceptExit = [], ...runOpts } = opts;
  // The program's own name: "psql exited with 2" reads better than its full PGBIN path.
  const shown = (argv[0] ?? "").split("/").pop() ?? "";
  let outcome;
  try {
    outcome = await run(host, argv, runOpts);
  } catch (error) {
    // A runner is not supposed to throw; a prober still must not.
    return { ok: false, message: `${shown}: ${error instanceof Error ? error.message : String(error)}`, stdout: "", stderr: "", exitCode: null };
  }
  if (!outcome.ok) return { ...outcome, message: outcome.message };
  const { exitCode, stdout, stderr } = outcome;
  if (exitCode === 0 || acceptExit.includes(exitCode)) return { ok: true, stdout, stderr, exitCode };
  if (exitCode === 127) return { ok: false, message: `command not found: ${shown}`, stdout, stderr, exitCode };
  const said = firstLine(stderr) || firstLine(stdout);
  return { ok: false, message: `${shown} exited with ${exitCode}${said ? `: ${said}` : ""}`, stdout, stderr, exitCode };
}

/** A parser's error value as a sentence: which tool, which line, what was wrong. */
export function unreadable(tool: string, error: { message: string; line: string; lineNumber: number }): string {
  const at = error.lineNumber > 0 ? ` at line ${error.lineNumber}` : "";
  const line = error.line.trim() === "" ? "" : `: "${error.line.trim().slice(0, 160)}"`;
  return `${tool} output unreadable${at} (${error.message})${line}`;
}

const MAX_REASONS = 6;

/** Joins problems into one sentence, bounded so a 40-node outage still reads as a line. */
export function sentence(problems: readonly string[]): string {
  const unique = [...new Set(problems)];
  const shown = unique.slice(0, MAX_REASONS).join("; ");
  return unique.length > MAX_REASONS ? `${shown}; and ${unique.length - MAX_REASONS} more` : shown;
}

/**
 * Health from what a prober found: problems (mismatches it named) or host errors make the cluster
 * degraded; neither means healthy. `down` is decided by each prober (it knows when nothing answered).
 */
export function judge(problems: readonly string[], errors: readonly HostError[], healthyReason: string): { health: Health; reason: string } {
  const all = [...problems, ...errors.map((e) => `${e.host}: ${e.message}`)];
  return all.length === 0 ? { health: "healthy", reason: healthyReason } : { health: "degraded", reason: sentence(all) };
}

export function downObservation(
  reason: string,
  errors: HostError[],
  extra: { nodes?: ObservedNode[]; panels?: Record<string, unknown> } = {},
): ClusterObservation {
  return { health: "down", reason, nodes: extra.nodes ?? [], panels: extra.panels ?? {}, errors };
}

/** Runs `fn` over items with at most `limit` in flight, keeping input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function uniqueHosts(nodes: readonly { hostName: string }[]): string[] {
  return [...new Set(nodes.map((n) => n.hostName))];
}
