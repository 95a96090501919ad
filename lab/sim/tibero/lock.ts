import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

// A cross-process exclusive lock: mkdir is atomic on every local file system. The holder writes its pid
// to owner; a waiter breaks the lock when that pid is gone, when no owner was written within
// ORPHAN_MS (the holder died between mkdir and write), or after STALE_MS whatever the pid says
// (a hung or pid-reused holder). Holders keep the lock for milliseconds.
const ORPHAN_MS = 10_000;
const STALE_MS = 60_000;
const WAIT_LIMIT_MS = 20_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function isStale(lockDir: string, now = Date.now()): Promise<boolean> {
  let age: number;
  try {
    age = now - (await stat(lockDir)).mtimeMs;
  } catch {
    return false; // released meanwhile
  }
  if (age > STALE_MS) return true;
  try {
    const owner = await readFile(path.join(lockDir, "owner"), "utf8");
    const pid = Number(owner.split(" ")[0]);
    return Number.isInteger(pid) && pid > 0 && !pidAlive(pid);
  } catch {
    return age > ORPHAN_MS;
  }
}

async function breakLock(lockDir: string): Promise<void> {
  // Rename first so that two waiters breaking the same stale lock cannot both remove a fresh one.
  const grave = `${lockDir}.stale.${process.pid}.${Date.now()}`;
  try {
    await rename(lockDir, grave);
    await rm(grave, { recursive: true, force: true });
  } catch {
    // Someone else broke or released it first.
  }
}

export async function withLock<T>(stateDir: string, fn: () => Promise<T>): Promise<T> {
  const lockDir = path.join(stateDir, "state.lock");
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let pause = 2;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (await isStale(lockDir)) {
        await breakLock(lockDir);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${lockDir}`);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 50);
    }
  }
  try {
    await writeFile(path.join(lockDir, "owner"), `${process.pid} ${Date.now()}\n`);
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
