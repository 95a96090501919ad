// State file I/O under an exclusive lock. The lock is a directory (mkdir is atomic); a lock whose
// owner process is gone, or that is older than STALE_LOCK_MS, is taken over, so a killed invocation
// never wedges the lab.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod/mini";
import { ClusterStateSchema, type ClusterState } from "./model";
import { initialState, readTopology } from "./topology";

const LOCK_WAIT_MS = 15_000;
const STALE_LOCK_MS = 10_000;
const RETRY_MS = 3;

export type StoreResult<T> = { ok: true; value: T } | { ok: false; message: string };

export function stateFile(stateDir: string): string {
  return path.join(stateDir, "state.json");
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function ownerAlive(lockDir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(lockDir, "owner"), "utf8").split(" ")[0]);
    if (!Number.isInteger(pid) || pid <= 0) return true; // owner file not written yet
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" || (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

function lockIsStale(lockDir: string): boolean {
  try {
    const age = Date.now() - statSync(lockDir).mtimeMs;
    return age > STALE_LOCK_MS || !ownerAlive(lockDir);
  } catch {
    return false; // vanished: just retry
  }
}

function acquire(lockDir: string): boolean {
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, "owner"), `${process.pid} ${Date.now()}`);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockIsStale(lockDir)) {
        // Rename first: only one contender wins the rename, the others just retry.
        const trash = `${lockDir}.stale-${process.pid}-${Date.now()}`;
        try {
          renameSync(lockDir, trash);
          rmSync(trash, { recursive: true, force: true });
        } catch {
          /* another process took it over first */
        }
        continue;
      }
      pause(RETRY_MS);
    }
  }
  return false;
}

function load(stateDir: string, now: number): StoreResult<ClusterState> {
  const file = stateFile(stateDir);
  if (!existsSync(file)) {
    const topology = readTopology(stateDir);
    if (!topology.ok) return topology;
    return { ok: true, value: initialState(topology.topology, now) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, message: `lab state ${file} is not JSON (${String(error)})` };
  }
  const parsed = ClusterStateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `lab state ${file} is invalid: ${z.prettifyError(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

function save(stateDir: string, state: ClusterState): void {
  const file = stateFile(stateDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}

/**
 * Loads the cluster (creating it on first use), lets `change` read and mutate it, and saves it, all
 * under the lock. `change` returns what the caller prints; the state is saved even when the command
 * failed, because time-driven transitions may have advanced.
 */
export function withCluster<T>(stateDir: string, now: number, change: (state: ClusterState) => T): StoreResult<T> {
  mkdirSync(stateDir, { recursive: true });
  const lockDir = path.join(stateDir, "state.lock");
  if (!acquire(lockDir)) return { ok: false, message: `lab state ${stateDir} is locked by another invocation` };
  try {
    const loaded = load(stateDir, now);
    if (!loaded.ok) return loaded;
    const value = change(loaded.value);
    loaded.value.updatedAt = now;
    save(stateDir, loaded.value);
    return { ok: true, value };
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
