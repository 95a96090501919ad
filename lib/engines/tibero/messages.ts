// Tibero messages the simulators print and Keel recognises. Success lines are the seed's; the seed
// shows no error lines, so the TBR codes below are the lab's own (documented in lab/sim/tibero/README.md).

export const MSG = {
  databaseCreated: "Database created.",
  databaseAltered: "Database altered.",
  tablespaceCreated: (name: string) => `Tablespace '${name}' created.`,
  instanceStarted: (mode: string) => `Tibero instance started up (${mode} mode).`,
  instanceTerminated: (mode: string) => `Tibero instance terminated (${mode} mode).`,
  connected: "Connected to Tibero.",
  cmStarted: "Tibero cluster manager started up.",
  cmDown: "CM DOWN SUCCESS!",
} as const;

export const TBR = {
  ioError: 2131,
  loginFailed: 17001,
  syntax: 7001,
  notNomount: 1001,
  notOpen: 1002,
  dbExists: 1003,
  logGroupInUse: 1010,
  threadOverMaxInstances: 1011,
  threadTooFewGroups: 1012,
  threadAlreadyEnabled: 1013,
  tablespaceExists: 1014,
  undoMismatch: 1015,
  createThreadNotZero: 1016,
  createTooFewGroups: 1017,
  threadNotEnabledYet: 1018,
  cmNotRunning: 1201,
  tipInvalid: 1202,
  tipUnreadable: 1203,
  threadNotEnabled: 1204,
  undoMissing: 1205,
  alreadyRunning: 1206,
  noControlFile: 1207,
  maxInstancesReached: 1208,
  threadInUse: 1209,
  bootAborted: 1210,
  cmAlreadyRunning: 1301,
  cmTipInvalid: 1302,
  cmNotRunningDown: 1303,
} as const;

export function tbrLine(code: number, message: string): string {
  return `TBR-${code}: ${message}`;
}

export const TBR_LINE = /^\s*(?:SQL>\s*)?TBR-(\d+):\s*(.*?)\s*$/;
