// Test-only: builds the lab simulators a test needs into a private temp bin dir, so a concurrent
// rebuild of lab/.build/bin cannot change them mid-test.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildSimulators } from "../../lab/build-sims";

export async function bundleSimulators(tools: readonly string[]): Promise<{ binDir: string; dispose(): Promise<void> }> {
  const binDir = await mkdtemp(path.join(tmpdir(), "keel-status-bin-"));
  await buildSimulators({ outDir: binDir, tools });
  return { binDir, dispose: () => rm(binDir, { recursive: true, force: true }) };
}

/** Polls `probe` until `done` holds for its value; returns that value or throws with the last one seen. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
