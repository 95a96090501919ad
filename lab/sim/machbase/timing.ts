// How long the real tool's slow transitions take, in lab milliseconds at KEEL_LAB_TIME_SCALE=1.
// Tests pass a tiny scale; the demo keeps 1 so a human can watch sync-standby/sync-active pass by.
export const BASE_DURATIONS_MS = {
  /** A dead broker/warehouse is noticed by the coordinator after this long. */
  detectFailure: 1000,
  /** --startup-node / restart until the node reports its state. */
  nodeStartup: 1000,
  /** --exec-sync: replication processes start (RP stopped → running, sync-standby/sync-active). */
  syncStart: 500,
  /** --exec-sync: replication catches up, both warehouses back to normal. */
  syncRun: 2000,
} as const;

export type Durations = { [K in keyof typeof BASE_DURATIONS_MS]: number } & { scale: number };

export function timeScale(env: Record<string, string | undefined>): number {
  const raw = env.KEEL_LAB_TIME_SCALE;
  if (raw === undefined || raw.trim() === "") return 1;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : 1;
}

export function durations(env: Record<string, string | undefined>): Durations {
  const scale = timeScale(env);
  return {
    scale,
    detectFailure: BASE_DURATIONS_MS.detectFailure * scale,
    nodeStartup: BASE_DURATIONS_MS.nodeStartup * scale,
    syncStart: BASE_DURATIONS_MS.syncStart * scale,
    syncRun: BASE_DURATIONS_MS.syncRun * scale,
  };
}
