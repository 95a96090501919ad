import { execFile } from "node:child_process";

export type CommandOutcome = { code: number; stdout: string; stderr: string };

export function runCommand(file: string, args: readonly string[]): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: "utf8" }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && code !== 0 ? err.message : "") });
    });
  });
}

export async function runOrThrow(file: string, args: readonly string[]): Promise<string> {
  const out = await runCommand(file, args);
  if (out.code !== 0) throw new Error(`${file} ${args.join(" ")} failed (${out.code}): ${out.stderr.trim()}`);
  return out.stdout;
}
