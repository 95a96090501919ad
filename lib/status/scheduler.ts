import { db } from "@/lib/db";
import { logger } from "@/lib/log";
import { sampleCluster } from "./sample-cluster";

export type SchedulerOptions = {
  intervalMs: number;
  concurrency: number;
  retentionHours: number;
  /** Clusters with a run in progress are sampled this often, so the run page's table follows the run. */
  activeIntervalMs?: number;
};

/** Samples only the clusters a run is working on right now. */
export async function sampleActiveClusters(): Promise<number> {
  const active = await db.run.findMany({ where: { state: "RUNNING", clusterId: { not: null } }, select: { clusterId: true }, distinct: ["clusterId"] });
  await Promise.all(
    active.map(async ({ clusterId }) => {
      if (!clusterId) return;
      await sampleCluster(clusterId).catch((err: unknown) => logger.warn({ err, clusterId }, "active-run sample failed"));
    }),
  );
  return active.length;
}

/** Runs `tasks` with at most `limit` in flight. */
async function bounded<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}

/** One round: every cluster sampled once, bounded parallelism; old samples pruned. */
export async function sampleAllClusters(opts: Pick<SchedulerOptions, "concurrency" | "retentionHours">): Promise<number> {
  const clusters = await db.cluster.findMany({ select: { id: true, name: true } });
  await bounded(clusters, opts.concurrency, async (c) => {
    try {
      await sampleCluster(c.id);
    } catch (err) {
      logger.warn({ err, cluster: c.name }, "status sample failed");
    }
  });
  await db.statusSample.deleteMany({ where: { at: { lt: new Date(Date.now() - opts.retentionHours * 3600_000) } } });
  return clusters.length;
}

/**
 * Samples every cluster every interval. A round that overruns the interval delays the next one
 * rather than overlapping it, so a slow host never piles up probes.
 */
export function startScheduler(opts: SchedulerOptions): { stop: () => void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const started = Date.now();
    try {
      await sampleAllClusters(opts);
    } catch (err) {
      logger.error({ err }, "status round failed");
    }
    if (!stopped) timer = setTimeout(tick, Math.max(0, opts.intervalMs - (Date.now() - started)));
  };
  timer = setTimeout(tick, 0);
  let activeTimer: NodeJS.Timeout | undefined;
  const activeTick = async () => {
    const started = Date.now();
    try {
      await sampleActiveClusters();
    } catch (err) {
      logger.error({ err }, "active-run status round failed");
    }
    if (!stopped && opts.activeIntervalMs) activeTimer = setTimeout(activeTick, Math.max(0, opts.activeIntervalMs - (Date.now() - started)));
  };
  if (opts.activeIntervalMs) activeTimer = setTimeout(activeTick, opts.activeIntervalMs);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (activeTimer) clearTimeout(activeTimer);
    },
  };
}
