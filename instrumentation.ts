// Next.js calls register() once when the server starts: the status scheduler lives in the console's
// Node process (KEEL_SCHEDULER=off disables it, e.g. for a second console on the same database).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.KEEL_SCHEDULER === "off") return;
  const { startScheduler } = await import("./lib/status/scheduler");
  startScheduler({
    intervalMs: Math.max(1, Number(process.env.KEEL_SAMPLE_INTERVAL_S ?? 10)) * 1000,
    concurrency: Math.max(1, Number(process.env.KEEL_SAMPLE_CONCURRENCY ?? 4)),
    retentionHours: 48,
    activeIntervalMs: Math.max(0.5, Number(process.env.KEEL_ACTIVE_SAMPLE_INTERVAL_S ?? 2)) * 1000,
  });
}
