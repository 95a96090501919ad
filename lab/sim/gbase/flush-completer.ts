// A real gcware finishes a flush by itself; the simulator has no daemon, so after `python` requests a
// flush the executable leaves a detached helper that settles the state when the flush is due. Without
// it a node's `.s` directory would only be renamed by the next simulator invocation, and a plain
// `ls -l` (all the seed — and Keel's flush procedure — polls with) would never see the flush finish.
import { spawn } from "node:child_process";
import type { ClusterState } from "./state";
import { settle } from "./store";

/** The argument the python executable takes to act as the helper instead of an interpreter. */
export const COMPLETER_FLAG = "--keel-lab-complete-flushes";

/** When the next flush that can finish is due; hung flushes (fault) never finish. */
export function nextFlushDueMs(state: ClusterState): number | null {
  const due = Object.values(state.gcware)
    .filter((n) => n.pendingFlush !== null && !n.faults.hangFlush)
    .map((n) => n.pendingFlush?.dueAtMs ?? Infinity);
  return due.length === 0 ? null : Math.min(...due);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles the state at each due time until no flush that can finish is pending. */
export async function completeFlushes(stateDir: string, now: () => number = Date.now): Promise<void> {
  for (let state = settle(stateDir, now()); ; state = settle(stateDir, now())) {
    const due = nextFlushDueMs(state);
    if (due === null) return;
    await sleep(Math.max(0, due - now()) + 5);
  }
}

/** Leaves the helper running after this process exits, when a flush is pending. */
export function spawnCompleterIfPending(stateDir: string, scriptPath: string): void {
  if (nextFlushDueMs(settle(stateDir)) === null) return;
  const child = spawn(process.execPath, [scriptPath, COMPLETER_FLAG], { detached: true, stdio: "ignore", env: process.env });
  child.unref();
}
