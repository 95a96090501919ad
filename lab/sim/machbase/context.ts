// What a command handler gets and returns. Handlers mutate the loaded state; the CLI prints the lines.
import type { ClusterState, SimNode } from "./model";
import type { ParsedArgs } from "./args";
import type { Durations } from "./timing";
import { renderError } from "../../../lib/engines/machbase/render";

export type CommandContext = {
  state: ClusterState;
  args: ParsedArgs;
  now: number;
  durations: Durations;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The coordinator (or deployer) whose home this tool runs from. */
  local: SimNode;
};

export type CommandOutcome = { lines: string[]; exitCode: number };

export function success(lines: string[]): CommandOutcome {
  return { lines, exitCode: 0 };
}

export function failure(message: string): CommandOutcome {
  return { lines: [renderError(message)], exitCode: 1 };
}

/**
 * The node of `type` this invocation runs beside: KEEL_LAB_NODE (host:port) if it names one, else one
 * on KEEL_LAB_HOST (preferring the primary), else the primary / first of that type.
 */
export function localNode(state: ClusterState, type: SimNode["type"], env: Record<string, string | undefined>): SimNode | undefined {
  const candidates = state.nodes.filter((n) => n.type === type);
  const named = candidates.find((n) => n.name === env.KEEL_LAB_NODE);
  if (named) return named;
  const host = env.KEEL_LAB_HOST;
  const onHost = host ? candidates.filter((n) => n.name.slice(0, n.name.lastIndexOf(":")) === host) : [];
  const pool = onHost.length > 0 ? onHost : candidates;
  return pool.find((n) => n.role === "primary") ?? pool[0];
}
