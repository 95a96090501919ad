// Worker processes register themselves and beat a heartbeat; a worker is dead when it stopped, its
// heartbeat is stale, or (same machine) its process no longer exists. A starting worker, and every
// live one periodically, hands the runs of dead workers back to the queue: their jobs are unlocked
// (graphile-worker's forceUnlockWorkers) and each run is enqueued again, to be claimed and resumed.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

import { db } from "@/lib/db";
import { renewLeasesOf } from "./lease";
import { enqueueAdvance } from "./queue";

export const HEARTBEAT_MS = 2_000;
const STALE_AFTER_MS = 5 * HEARTBEAT_MS;

export type WorkerRow = { id: string; pid: number; hostname: string; heartbeatAt: Date; stoppedAt: Date | null; queueIds: string[] };

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function isDead(row: WorkerRow, now = Date.now()): boolean {
  if (row.stoppedAt) return true;
  if (now - row.heartbeatAt.getTime() > STALE_AFTER_MS) return true;
  return row.hostname === hostname() && row.pid !== process.pid && !processExists(row.pid);
}

export async function isLiveWorker(workerId: string): Promise<boolean> {
  const row = await db.runWorker.findUnique({ where: { id: workerId } });
  return row !== null && !isDead(row);
}

export async function registerWorker(): Promise<string> {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  await db.runWorker.create({ data: { id, pid: process.pid, hostname: hostname() } });
  return id;
}

export async function addQueueId(workerId: string, queueId: string): Promise<void> {
  await db.$executeRaw`UPDATE run_worker SET "queueIds" = array_append("queueIds", ${queueId}) WHERE id = ${workerId}`;
}

export async function heartbeat(workerId: string): Promise<void> {
  await db.runWorker.update({ where: { id: workerId }, data: { heartbeatAt: new Date() } });
  await renewLeasesOf(db, workerId);
}

export async function markStopped(workerId: string): Promise<void> {
  await db.runWorker.update({ where: { id: workerId }, data: { stoppedAt: new Date() } }).catch(() => undefined);
}

export type SweepResult = { deadWorkers: string[]; requeuedRuns: string[] };

/**
 * Recovers from dead workers: their queue locks are released and their RUNNING runs enqueued again.
 * `unlock` is the job queue's forceUnlockWorkers.
 */
export async function sweepDeadWorkers(selfId: string, unlock: (queueIds: string[]) => Promise<void>): Promise<SweepResult> {
  const rows = await db.runWorker.findMany({ where: { id: { not: selfId } } });
  const dead = rows.filter((row) => isDead(row));
  const deadIds = dead.map((row) => row.id);
  const queueIds = dead.flatMap((row) => row.queueIds);
  if (queueIds.length > 0) await unlock(queueIds);
  const requeued = await db.$transaction(async (tx) => {
    const orphans = await tx.run.findMany({
      where: { state: "RUNNING", OR: [{ workerId: null }, { workerId: { in: deadIds } }] },
      select: { id: true },
    });
    for (const run of orphans) {
      await tx.run.update({ where: { id: run.id }, data: { workerId: null } });
      await enqueueAdvance(tx, run.id);
    }
    return orphans.map((r) => r.id);
  });
  // Dead rows are kept a day for diagnosis, then dropped.
  await db.runWorker.deleteMany({ where: { id: { in: deadIds }, heartbeatAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
  if (deadIds.length > 0) await db.runWorker.updateMany({ where: { id: { in: deadIds }, stoppedAt: null }, data: { stoppedAt: new Date() } });
  return { deadWorkers: deadIds, requeuedRuns: requeued };
}
