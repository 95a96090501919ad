// The words the Machbase admin tools print, as plain constants (no zod here: the lab simulators
// import this on every invocation and their start-up time matters).
export const KNOWN_NODE_TYPES = ["coordinator", "deployer", "broker", "warehouse"] as const;
// `shutdown` is not in the seed: it is what the simulator prints for a node stopped on purpose
// (--shutdown-node), so a planned stop is never confused with a crash (`**unknown**`).
export const KNOWN_NODE_STATES = [
  "primary",
  "normal",
  "leader",
  "scrapped",
  "unknown",
  "sync-standby",
  "sync-active",
  "shutdown",
] as const;
export const KNOWN_GROUP_STATES = ["normal", "readonly"] as const;
// `none` is the tool's `-----------` (no replication process for that node).
export const KNOWN_RP_STATES = ["none", "stopped", "running"] as const;
export const ADMIN_TOOLS = ["coordinator", "deployer"] as const;

export type KnownNodeType = (typeof KNOWN_NODE_TYPES)[number];
export type KnownNodeState = (typeof KNOWN_NODE_STATES)[number];
export type KnownGroupState = (typeof KNOWN_GROUP_STATES)[number];
export type KnownRpState = (typeof KNOWN_RP_STATES)[number];
export type AdminTool = (typeof ADMIN_TOOLS)[number];

/** Key of the automatic snapshot interval in `--configuration` output (seconds, 0 = disabled). */
export const SNAPSHOT_INTERVAL_KEY = "SNAPSHOT-INTERVAL";
