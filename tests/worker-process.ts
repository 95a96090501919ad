// Real run-worker processes for integration tests: worker/main.ts bundled once with esbuild (tsx's
// start-up costs about a second per process), then started with `node` as often as a test needs,
// each with its own environment (KEEL_WORKER_CRASH_AT for fault injection).
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { build } from "esbuild";

/**
 * Bundles worker/main.ts into `<outDir>/worker.mjs`. Packages stay external (resolved from the
 * repository's node_modules, so outDir must be inside the checkout); the `@/` alias is resolved by
 * esbuild from tsconfig.json's paths.
 */
export async function bundleWorker(outDir: string): Promise<string> {
  const root = process.cwd();
  await mkdir(outDir, { recursive: true });
  const outfile = path.join(outDir, "worker.mjs");
  await build({
    entryPoints: [path.join(root, "worker", "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  return outfile;
}

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null };

export type WorkerProcess = {
  pid: number;
  /** Null while it runs. */
  exit: () => WorkerExit | null;
  exited: Promise<WorkerExit>;
  /** The last few kB the process printed (for failure messages). */
  output: () => string;
  /** SIGTERM (the worker drains and exits), SIGKILL after the deadline. */
  stop: (deadlineMs?: number) => Promise<WorkerExit>;
};

const KEEP_OUTPUT = 8 * 1024;

export function spawnWorker(script: string, o: { databaseUrl: string; crashAt?: string; concurrency?: number }): WorkerProcess {
  const child = spawn(process.execPath, [script], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: o.databaseUrl,
      KEEL_WORKER_PORT: "0",
      KEEL_WORKER_CONCURRENCY: String(o.concurrency ?? 4),
      LOG_LEVEL: process.env.KEEL_TEST_WORKER_LOG_LEVEL ?? "warn",
      ...(o.crashAt ? { KEEL_WORKER_CRASH_AT: o.crashAt } : { KEEL_WORKER_CRASH_AT: "" }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-KEEP_OUTPUT);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exit: WorkerExit | null = null;
  const exited = new Promise<WorkerExit>((resolve) => {
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  if (child.pid === undefined) throw new Error(`could not start the worker ${script}`);
  const pid = child.pid;
  return {
    pid,
    exit: () => exit,
    exited,
    output: () => text,
    stop: async (deadlineMs = 20_000) => {
      if (exit) return exit;
      child.kill("SIGTERM");
      const done = await Promise.race([exited, sleep(deadlineMs).then(() => null)]);
      if (done) return done;
      child.kill("SIGKILL");
      return exited;
    },
  };
}
