// A RemoteRunner that runs argv on this machine, for tests: each "host" is an environment (KEEL_LAB_HOST,
// homes, a simulator bin dir on PATH), so the lab's simulators behave as if they ran on that host.
import { execFile } from "node:child_process";
import type { RemoteOutcome, RemoteRunner } from "./types";

export type LocalHost = {
  /** Variables the host's login environment would set (KEEL_LAB_STATE, KEEL_LAB_HOST, TB_HOME …). */
  env?: Record<string, string>;
  /** Directories put in front of PATH (the built simulators). */
  path?: string[];
  cwd?: string;
};

export type LocalRunnerOptions = { defaultTimeoutMs?: number };

/** What ssh reports when it cannot reach a host; the simulators use it for a host that is down. */
const SSH_FAILURE_EXIT = 255;

export function localRunner(hosts: Record<string, LocalHost>, options: LocalRunnerOptions = {}): RemoteRunner {
  return (hostName, argv, opts = {}) => {
    const host = hosts[hostName];
    const [file, ...args] = argv;
    if (!host) return Promise.resolve(failed(`unreachable host ${hostName}: not in the local runner's host map`, null));
    if (!file) return Promise.resolve(failed("empty argv", null));
    const env: NodeJS.ProcessEnv = { ...process.env, ...host.env };
    if (host.path && host.path.length > 0) env.PATH = [...host.path, process.env.PATH ?? ""].join(":");
    const timeout = opts.timeoutMs ?? options.defaultTimeoutMs ?? 15_000;
    return new Promise<RemoteOutcome>((resolve) => {
      const child = execFile(
        file,
        args,
        { env, cwd: host.cwd, timeout, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (!error) return resolve({ ok: true, exitCode: 0, stdout, stderr });
          const code = error.code;
          if (code === "ENOENT") return resolve({ ...failed(`command not found: ${file}`, 127), stdout, stderr });
          if (error.killed) return resolve({ ...failed(`timed out after ${timeout} ms: ${file}`, null), stdout, stderr });
          if (typeof code === "number") {
            if (code === SSH_FAILURE_EXIT) {
              const why = stderr.trim() || `exit ${code}`;
              return resolve({ ok: false, message: `unreachable host ${hostName}: ${why}`, exitCode: code, stdout, stderr });
            }
            return resolve({ ok: true, exitCode: code, stdout, stderr });
          }
          resolve({ ...failed(`${file}: ${error.message}`, null), stdout, stderr });
        },
      );
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(opts.stdin ?? "");
    });
  };
}

function failed(message: string, exitCode: number | null): RemoteOutcome {
  return { ok: false, message, exitCode, stdout: "", stderr: "" };
}
