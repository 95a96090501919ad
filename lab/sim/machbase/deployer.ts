// machdeployeradmin: the deployer process on its host (the seed only stops and starts it for upgrades).
import { failure, success, type CommandContext, type CommandOutcome } from "./context";

type Handler = (ctx: CommandContext) => CommandOutcome;

const USAGE = [
  "Usage: machdeployeradmin [OPTION]",
  "  -u, --startup    start the deployer process",
  "  -s, --shutdown   shut the deployer process down",
  "  -k, --kill       kill the deployer process",
  "  -e, --check      tell whether the deployer process is running",
];

const COMMANDS: Record<string, Handler> = {
  help: () => success(USAGE),
  startup(ctx) {
    if (ctx.local.process === "running") return failure("Machbase Deployer is already running.");
    ctx.local.process = "running";
    ctx.local.desired = ctx.local.role;
    ctx.local.actual = ctx.local.role;
    return success(["Waiting for Machbase Deployer start.", "Machbase Deployer started successfully."]);
  },
  shutdown(ctx) {
    if (ctx.local.process !== "running") return failure("Machbase Deployer is not running.");
    ctx.local.process = "stopped";
    ctx.local.desired = "shutdown";
    ctx.local.actual = "shutdown";
    return success(["Machbase Deployer shut down successfully."]);
  },
  kill(ctx) {
    if (ctx.local.process !== "running") return failure("Machbase Deployer is not running.");
    ctx.local.process = "down";
    ctx.local.actual = "unknown";
    return success(["Machbase Deployer killed successfully."]);
  },
  check(ctx) {
    if (ctx.local.process !== "running") return failure("Machbase Deployer is not running.");
    return success(["Machbase Deployer is running."]);
  },
};

export const DEPLOYER_ACTIONS: ReadonlySet<string> = new Set(Object.keys(COMMANDS));
export const DEPLOYER_COMPANIONS: ReadonlySet<string> = new Set();

export function deployerHandler(action: string, ctx: CommandContext): CommandOutcome {
  const command = COMMANDS[action];
  return command ? command(ctx) : failure(`Unknown option (--${action}).`);
}
