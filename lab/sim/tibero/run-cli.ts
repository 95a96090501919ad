import type { ToolContext, ToolResult } from "./context";

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs a tool's `main` as a process: argv/env/stdin in, stdout/stderr/exit code out. */
export async function runCli(
  main: (ctx: ToolContext) => Promise<ToolResult>,
  opts: { readStdin: (argv: string[]) => boolean },
): Promise<never> {
  const argv = process.argv.slice(2);
  const stdin = opts.readStdin(argv) ? await readAll(process.stdin) : "";
  let result: ToolResult;
  try {
    result = await main({ argv, env: process.env, stdin, cwd: process.cwd(), now: Date.now() });
  } catch (e) {
    const detail = e instanceof Error ? (process.env.KEEL_LAB_DEBUG ? e.stack ?? e.message : e.message) : String(e);
    result = { code: 70, stdout: "", stderr: `${detail.startsWith("lab:") ? "" : "lab: internal error: "}${detail}\n` };
  }
  await new Promise<void>((r) => process.stdout.write(result.stdout, () => r()));
  await new Promise<void>((r) => process.stderr.write(result.stderr, () => r()));
  process.exit(result.code);
}
