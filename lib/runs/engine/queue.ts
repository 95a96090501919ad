// The job queue (graphile-worker): one `run.advance` job per run that has work a worker can do.
// Enqueued inside Keel's own transactions, so a run's state change and its job commit together.
import { z } from "zod";

import type { Tx } from "@/lib/db";

export const ADVANCE_TASK = "run.advance";

export const advancePayloadSchema = z.object({ runId: z.uuid() });

export async function enqueueAdvance(tx: Tx, runId: string): Promise<void> {
  // job_key: at most one waiting job per run; a second enqueue replaces the first.
  await tx.$executeRaw`SELECT graphile_worker.add_job(${ADVANCE_TASK}, json_build_object('runId', ${runId}::text), job_key := ${`run:${runId}`}, max_attempts := 25)`;
}

/** Wakes run pages (SSE) following this run; sent when the transaction commits. */
export async function notifyRun(tx: Tx, runId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify('keel_run', ${runId}::text)`;
}
