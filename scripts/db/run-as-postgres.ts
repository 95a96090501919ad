import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const postgresUser = "postgres";

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs a PostgreSQL binary; as root it runs as the `postgres` user because
 * initdb and postgres refuse to run as root. cwd is `/` so the postgres user
 * never has to read a directory it cannot traverse (e.g. /root).
 */
export async function runPgCommand(binary: string, args: string[]): Promise<CommandResult> {
  const [file, fullArgs] = isRoot()
    ? ["runuser", ["-u", postgresUser, "--", binary, ...args]]
    : [binary, args];
  try {
    const { stdout, stderr } = await execFileAsync(file, fullArgs, {
      cwd: "/",
      env: { ...process.env, LC_ALL: "C" },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    if (isExecError(error)) {
      return { stdout: error.stdout ?? "", stderr: error.stderr ?? "", code: typeof error.code === "number" ? error.code : 1 };
    }
    throw error;
  }
}

/** Like runPgCommand but throws with the command's output when it fails. */
export async function runPgCommandOrThrow(binary: string, args: string[]): Promise<CommandResult> {
  const result = await runPgCommand(binary, args);
  if (result.code !== 0) {
    throw new Error(
      `${binary} ${args.join(" ")} failed (exit ${result.code}):\n${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result;
}

interface ExecError extends Error {
  code?: number | string;
  stdout?: string;
  stderr?: string;
}

function isExecError(error: unknown): error is ExecError {
  return error instanceof Error && ("stdout" in error || "stderr" in error);
}
