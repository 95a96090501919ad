// Every simulator invocation runs as one transaction on the state directory: lock, load (or create
// from the topology), bring pending flushes up to now, apply the command, save, project to disk.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { syncGcwareDir } from "./disk";
import { settleFlushes } from "./gcware-model";
import { withLock } from "./lock";
import { clusterStateSchema, initialState, type ClusterState } from "./state";
import { loadTopology } from "./topology";

const stateFile = (stateDir: string) => path.join(stateDir, "state.json");

function load(stateDir: string): ClusterState {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return initialState(loadTopology(stateDir), stateDir);
  return clusterStateSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

function save(stateDir: string, state: ClusterState): void {
  const tmp = `${stateFile(stateDir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, stateFile(stateDir));
}

export type Clock = { nowMs: number };

export function transact<T>(stateDir: string, clock: Clock, change: (state: ClusterState) => T): T {
  mkdirSync(stateDir, { recursive: true });
  return withLock(stateDir, () => {
    const state = load(stateDir);
    settleFlushes(state, clock.nowMs);
    const result = change(state);
    save(stateDir, state);
    for (const node of Object.values(state.gcware)) syncGcwareDir(node);
    return result;
  });
}

/** Materialises every transition that is due by now (for a lab `ls` wrapper or a test). */
export function settle(stateDir: string, nowMs: number = Date.now()): ClusterState {
  return transact(stateDir, { nowMs }, (state) => structuredClone(state));
}
