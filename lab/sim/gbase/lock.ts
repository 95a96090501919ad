// One writer at a time per state directory: an O_EXCL lock file holding the owner's pid and host. A lock
// whose owner is gone (or that is implausibly old) is broken so a killed tool cannot wedge the lab.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

const STALE_AFTER_MS = 30_000;
const WAIT_LIMIT_MS = 15_000;
const RETRY_MS = 3;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function breakIfStale(lockFile: string): void {
  let content: string;
  let ageMs: number;
  try {
    content = readFileSync(lockFile, "utf8");
    ageMs = Date.now() - statSync(lockFile).mtimeMs;
  } catch {
    return; // released meanwhile
  }
  const [pidText, ownerHost] = content.split(" ");
  const pid = Number(pidText);
  // A pid only means something in the owner's own process namespace, i.e. on the same hostname.
  const sameHost = ownerHost === hostname();
  const stale = ageMs > STALE_AFTER_MS || (sameHost && Number.isInteger(pid) && pid > 0 && !ownerAlive(pid));
  // An empty file is an owner between creating it and writing its pid: only age makes it stale.
  if (!stale) return;
  try {
    if (readFileSync(lockFile, "utf8") === content) unlinkSync(lockFile);
  } catch {
    // someone else broke or released it first
  }
}

export function withLock<T>(stateDir: string, fn: () => T): T {
  const lockFile = path.join(stateDir, "state.lock");
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, `${process.pid} ${hostname()} ${new Date().toISOString()}`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockFile}`);
      breakIfStale(lockFile);
      sleep(RETRY_MS);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      // broken as stale by another process: nothing left to release
    }
  }
}
