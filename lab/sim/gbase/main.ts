// Wires a simulated tool to the process: environment in, stdout/stderr/exit code out.
import { contextFromEnv, type ToolContext, type ToolResult } from "./context";

export function finish(result: ToolResult): void {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

export function runMain(tool: string, run: (ctx: ToolContext, argv: readonly string[]) => ToolResult | Promise<ToolResult>): void {
  const env = contextFromEnv(process.env);
  if (!env.ok) {
    finish({ code: 70, stdout: "", stderr: `${tool}: lab misconfigured: ${env.message}\n` });
    return;
  }
  Promise.resolve()
    .then(() => run(env.context, process.argv.slice(2)))
    .then(finish, (e: unknown) => finish({ code: 70, stdout: "", stderr: `${tool}: simulator failure: ${e instanceof Error ? e.message : String(e)}\n` }));
}
