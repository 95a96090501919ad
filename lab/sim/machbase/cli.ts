// Entry points of the two simulated tools: argv + environment → what the real tool prints and its
// exit code. The bin/ wrappers only forward process.argv/env; tests may call these directly.
import { appendFileSync } from "node:fs";
import path from "node:path";

import { joinLines, renderBanner, renderError } from "../../../lib/engines/machbase/render";
import type { AdminTool } from "../../../lib/engines/machbase/types";
import { parseArgs } from "./args";
import { localNode, type CommandContext, type CommandOutcome } from "./context";
import { COORDINATOR_ACTIONS, COORDINATOR_COMPANIONS, coordinatorHandler } from "./coordinator";
import { DEPLOYER_ACTIONS, DEPLOYER_COMPANIONS, deployerHandler } from "./deployer";
import { settle } from "./evolve";
import { withCluster } from "./store";
import { durations } from "./timing";
import { DEFAULT_RELEASE } from "./topology";

export type Env = Record<string, string | undefined>;
export type RunOptions = { env: Env; now?: () => number; cwd?: string };
export type ToolRun = { stdout: string; stderr: string; exitCode: number };

type ToolSpec = {
  tool: AdminTool;
  actions: ReadonlySet<string>;
  companions: ReadonlySet<string>;
  handle: (action: string, ctx: CommandContext) => CommandOutcome;
};

const TOOL_NAMES: Record<AdminTool, string> = { coordinator: "machcoordinatoradmin", deployer: "machdeployeradmin" };

/** The command log: one JSON line per invocation, `{"at":ms,"argv":[tool,...args]}`, before anything runs. */
export const INVOCATION_LOG = "invocations.log";

/**
 * Appends this invocation to `$KEEL_LAB_STATE/invocations.log`, so tests can count how often each
 * command ran (e.g. that a resumed run never repeated an action). Appends of one short line are
 * atomic (O_APPEND); a log that cannot be written never fails the tool.
 */
function logInvocation(stateDir: string, tool: AdminTool, argv: readonly string[], at: number): void {
  try {
    appendFileSync(path.join(stateDir, INVOCATION_LOG), `${JSON.stringify({ at, argv: [TOOL_NAMES[tool], ...argv] })}\n`);
  } catch {
    /* the log is a test aid only */
  }
}

const SPECS: Record<AdminTool, ToolSpec> = {
  coordinator: { tool: "coordinator", actions: COORDINATOR_ACTIONS, companions: COORDINATOR_COMPANIONS, handle: coordinatorHandler },
  deployer: { tool: "deployer", actions: DEPLOYER_ACTIONS, companions: DEPLOYER_COMPANIONS, handle: deployerHandler },
};

function run(spec: ToolSpec, argv: readonly string[], options: RunOptions): ToolRun {
  const stateDir = options.env.KEEL_LAB_STATE;
  if (!stateDir) return { stdout: "", stderr: "KEEL_LAB_STATE is not set: no simulated cluster to talk to.\n", exitCode: 2 };
  const now = (options.now ?? Date.now)();
  logInvocation(stateDir, spec.tool, argv, now);
  const parsed = parseArgs(argv, spec.actions, spec.companions);
  if (!parsed.ok) {
    return { stdout: joinLines([...renderBanner(spec.tool, DEFAULT_RELEASE), renderError(parsed.message)]), stderr: "", exitCode: 1 };
  }
  const d = durations(options.env);
  const result = withCluster(stateDir, now, (state) => {
    settle(state, now, d);
    const local = localNode(state, spec.tool, options.env);
    if (!local) return { banner: DEFAULT_RELEASE, outcome: { lines: [renderError(`No ${spec.tool} in this cluster.`)], exitCode: 1 } };
    const banner = local.release;
    const ctx: CommandContext = { state, args: parsed.args, now, durations: d, env: options.env, cwd: options.cwd ?? process.cwd(), local };
    return { banner, outcome: spec.handle(parsed.args.action, ctx) };
  });
  if (!result.ok) return { stdout: "", stderr: `${result.message}\n`, exitCode: 2 };
  const { banner, outcome } = result.value;
  return { stdout: joinLines([...renderBanner(spec.tool, banner), ...outcome.lines]), stderr: "", exitCode: outcome.exitCode };
}

export function runCoordinatorAdmin(argv: readonly string[], options: RunOptions): ToolRun {
  return run(SPECS.coordinator, argv, options);
}

export function runDeployerAdmin(argv: readonly string[], options: RunOptions): ToolRun {
  return run(SPECS.deployer, argv, options);
}

/** For the bin/ wrappers: run against the real process and exit with the tool's code. */
export function main(tool: AdminTool): void {
  const result = run(SPECS[tool], process.argv.slice(2), { env: process.env });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
