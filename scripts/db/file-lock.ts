import { open, readFile, unlink } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx", 0o600);
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
  // An empty file means the holder is between open and write; only a dead holder is stale.
  if (holder > 0 && !processAlive(holder)) await unlink(lockPath).catch(() => undefined);
  return false;
}

/**
 * Serialises start-up of one data directory across processes (vitest runs test
 * files in parallel forks, and each may ask for the embedded server).
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryAcquire(lockPath))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath}`);
    await delay(25);
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
