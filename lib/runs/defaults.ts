/** A probe (precheck, verify, one wait-until poll) that takes longer than this is treated as failed. */
export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
/** Actions default to a generous limit: shutdowns and package extraction can be slow. */
export const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;
