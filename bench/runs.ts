// npm run bench:runs — the engine's overhead per step over the bare remote command. A bench-only
// procedure of N trivial action steps (`echo`) on a lab Machbase host is run by the engine in this
// process (advanceRun, exactly what the worker's job handler calls: commits each step's start and
// result with its audit rows, streams output, audits the SSH command); the same command is then run
// N times through lib/ssh's exec on the same warm connection pool. Per-step wall time of the engine
// is the time between consecutive steps' commits (startedAt); the overhead is that minus the bare
// command's median. Goal: median overhead < 20 ms.
// Database: a throwaway `keel_bench_runs` on the embedded (or DATABASE_URL's) server. Lab hosts:
// 127.0.0.224–225, port 2224 (lab/.run/b-runs).
import path from "node:path";
import { performance } from "node:perf_hooks";

import { z } from "zod";

import { labSshTarget, readEstate } from "../lab/lab";
import { makeUser } from "../tests/factories";
import { previewAndStart, startMachbaseLab } from "../tests/runs-lab";
import { db, disconnectDb } from "@/lib/db";
import { registerProcedureForTesting } from "@/lib/runs/catalog";
import { advanceRun } from "@/lib/runs/engine/advance";
import { isLiveWorker, registerWorker } from "@/lib/runs/engine/workers";
import { defineProcedure } from "@/lib/runs/model";
import { exec } from "@/lib/ssh";
import { ensureEmbeddedPostgres } from "../scripts/db/embedded";
import { resetDatabase } from "../scripts/db/reset-database";

const STEPS = Number(process.env.BENCH_STEPS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ARGV = ["echo", "keel-bench-step"];

const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const benchProcedure = defineProcedure({
  id: "bench.trivial-steps",
  engine: "MACHBASE",
  title: `Bench: ${STEPS} trivial steps`,
  description: "Bench only: one echo per step on the primary coordinator's host.",
  parameters: z.object({}),
  mutating: true,
  approval: "none",
  steps: Array.from({ length: STEPS }, (_, i) => ({
    kind: "action" as const,
    id: `echo-${i}`,
    title: `echo ${i + 1}`,
    host: { where: { type: "coordinator", role: "primary" } },
    argv: ARGV,
    idempotent: true,
    onFailure: "bench step",
  })),
});

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? (await ensureEmbeddedPostgres()).url;
  const url = new URL(serverUrl);
  url.pathname = "/keel_bench_runs";
  await resetDatabase(url.toString());
  process.env.DATABASE_URL = url.toString();
  process.env.LOG_LEVEL ??= "warn";
  registerProcedureForTesting(benchProcedure);

  const lab = await startMachbaseLab({ name: "b-runs", firstAddress: 224, port: 2224, timeScale: 0.002 });
  try {
    const dba = await makeUser("DBA");
    const worker = await registerWorker();
    const estate = await readEstate(path.join(process.cwd(), "lab", ".run", "b-runs"));
    if (!estate) throw new Error("the bench estate is not up");
    const target = await labSshTarget(estate, "b-runs-h1");

    const cycles: number[] = [];
    const execs: number[] = [];
    const runWalls: number[] = [];
    const bareAll: number[] = [];
    const phases = { startToExec: [] as number[], execToFinish: [] as number[], finishToNext: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const runId = await previewAndStart(dba, lab.clusterId, benchProcedure.id, {});
      const t0 = performance.now();
      await advanceRun(runId, { id: worker, draining: () => false, isLive: isLiveWorker });
      runWalls.push(performance.now() - t0);
      const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: { orderBy: { index: "asc" } } } });
      if (run.state !== "SUCCEEDED") throw new Error(`bench run ended ${run.state}: ${run.stateReason}`);
      const starts = run.steps.map((s) => s.startedAt?.getTime() ?? NaN);
      // Skip the first step (cold: the pool's first connection); each later cycle is one full step.
      for (let i = 2; i < starts.length; i += 1) cycles.push(starts[i]! - starts[i - 1]!);
      execs.push(...run.steps.slice(1).map((s) => s.durationMs ?? NaN));
      // Where a step's time goes, from its audit rows' timestamps (started → ssh.exec → finished → next started).
      const audit = await db.auditEvent.findMany({ where: { payload: { path: ["runId"], equals: runId } }, orderBy: { id: "asc" } });
      const at = (action: string, step: number) => audit.find((a) => a.action === action && (a.payload as { step?: unknown }).step === step)?.at.getTime() ?? NaN;
      for (let step = 2; step < STEPS; step += 1) {
        phases.startToExec.push(at("ssh.exec", step) - at("run.step.started", step));
        phases.execToFinish.push(at("run.step.finished", step) - at("ssh.exec", step));
        phases.finishToNext.push(at("run.step.started", step + 1) - at("run.step.finished", step));
      }

      const bare: number[] = [];
      for (let i = 0; i < STEPS; i += 1) {
        const b0 = performance.now();
        const result = await exec(target, ARGV, { timeoutMs: 30_000 });
        if (!result.ok) throw new Error(`bare exec failed: ${result.error.message}`);
        bare.push(performance.now() - b0);
      }
      bareAll.push(...bare.slice(1));
    }
    const bareMedian = percentile(bareAll, 50);
    const overhead = cycles.map((c) => c - bareMedian);
    console.log(`engine: ${ROUNDS} runs × ${STEPS} action steps (${ARGV.join(" ")}) on ${target.address}:${target.port}`);
    console.log(`  run wall time (median)           ${fmt(percentile(runWalls, 50))}`);
    console.log(`  step cycle, start to next start  median ${fmt(percentile(cycles, 50))}   p95 ${fmt(percentile(cycles, 95))}`);
    console.log(`  step's own command (durationMs)  median ${fmt(percentile(execs, 50))}   p95 ${fmt(percentile(execs, 95))}`);
    console.log(`bare lib/ssh exec, same command    median ${fmt(bareMedian)}   p95 ${fmt(percentile(bareAll, 95))}`);
    console.log(`  breakdown (audit timestamps, median): start committed → command audited ${fmt(percentile(phases.startToExec, 50))}, → result committed ${fmt(percentile(phases.execToFinish, 50))}, → next start committed ${fmt(percentile(phases.finishToNext, 50))}`);
    console.log(`engine overhead per step           median ${fmt(percentile(overhead, 50))}   p95 ${fmt(percentile(overhead, 95))}   (goal: median < 20 ms)`);
  } finally {
    await lab.stop();
    await disconnectDb();
  }
}


main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
