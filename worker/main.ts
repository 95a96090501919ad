// The run worker: a separate process that executes runs from the job queue (graphile-worker).
// Started by `npm run demo` beside the console; `npm run worker` on its own.
//   KEEL_WORKER_CONCURRENCY  runs executed at once by this process (default 20)
//   KEEL_WORKER_PORT         health endpoint (GET /health), default 3199; 0 = none
//   KEEL_WORKER_CRASH_AT     fault injection for tests: "<stepIndex>:<before-start|after-start|after-exec|after-finish>"
//                            makes the process SIGKILL itself at that point of that step
import { EventEmitter } from "node:events";
import { createServer } from "node:http";

import { Logger, makeWorkerUtils, run, type Task, type WorkerEvents } from "graphile-worker";
import pg from "pg";

import { logger } from "@/lib/log";
import { advanceRun, type CrashPoint, type WorkerHandle } from "@/lib/runs/engine/advance";
import { ADVANCE_TASK, advancePayloadSchema } from "@/lib/runs/engine/queue";
import { addQueueId, HEARTBEAT_MS, heartbeat, isLiveWorker, markStopped, registerWorker, sweepDeadWorkers } from "@/lib/runs/engine/workers";

const log = logger.child({ component: "worker" });

function crashHook(spec: string | undefined): WorkerHandle["at"] {
  if (!spec) return undefined;
  const [index, point] = spec.split(":");
  return (at: CrashPoint, stepIndex: number) => {
    if (String(stepIndex) === index && at === point) process.kill(process.pid, "SIGKILL");
  };
}

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  const concurrency = Number(process.env.KEEL_WORKER_CONCURRENCY ?? 20);
  const pgPool = new pg.Pool({ connectionString, max: concurrency + 4 });
  // An idle client losing its connection must not crash the worker; the pool replaces it.
  pgPool.on("error", (error) => log.warn({ err: error }, "database connection lost (idle client)"));
  const utils = await makeWorkerUtils({ pgPool });
  await utils.migrate();

  const workerId = await registerWorker();
  let draining = false;
  const handle: WorkerHandle = { id: workerId, draining: () => draining, isLive: isLiveWorker, at: crashHook(process.env.KEEL_WORKER_CRASH_AT) };

  const advance: Task = async (payload) => {
    const { runId } = advancePayloadSchema.parse(payload);
    await advanceRun(runId, handle);
  };
  const queueLogger = new Logger((scope) => (level, message) => {
    if (level === "error" || level === "warning") log[level === "error" ? "error" : "warn"]({ scope }, message);
  });
  // Listened to before run(): the queue's workers are created inside it.
  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => void addQueueId(workerId, worker.workerId).catch(() => undefined));
  const runner = await run({ pgPool, concurrency, noHandleSignals: true, pollInterval: 2_000, taskList: { [ADVANCE_TASK]: advance }, logger: queueLogger, events });

  const sweep = async () => {
    const swept = await sweepDeadWorkers(workerId, (ids) => utils.forceUnlockWorkers(ids));
    if (swept.requeuedRuns.length > 0 || swept.deadWorkers.length > 0) log.info(swept, "recovered runs of dead workers");
  };
  await sweep();
  let beats = 0;
  const timer = setInterval(() => {
    beats += 1;
    void heartbeat(workerId)
      .then(() => (beats % 3 === 0 ? sweep() : undefined))
      .catch((error: unknown) => log.error({ err: error }, "heartbeat failed"));
  }, HEARTBEAT_MS);

  const port = Number(process.env.KEEL_WORKER_PORT ?? 3199);
  const health = port > 0
    ? createServer((req, res) => {
        res.writeHead(req.url === "/health" && !draining ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ worker: workerId, draining }));
      }).listen(port, "127.0.0.1")
    : null;
  log.info({ workerId, concurrency, port }, "run worker started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A second signal: leave now; runs in flight are recovered by the next worker.
      process.exit(130);
    }
    stopping = true;
    draining = true;
    log.info({ signal }, "draining: finishing current steps, then handing runs back to the queue");
    clearInterval(timer);
    await runner.stop();
    await markStopped(workerId);
    health?.close();
    await utils.release();
    await pgPool.end();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  log.error({ err: error }, "run worker failed to start");
  process.exit(1);
});
