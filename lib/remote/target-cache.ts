// Within one run, consecutive steps on the same host need not read and unseal its credential each
// time. Entries live a few seconds, so a re-pinned host key or a replaced credential takes effect at
// once for the next run and within seconds for a running one.
import { loadTarget, type LoadedTarget } from "./load-target";

const TTL_MS = 5_000;

export class TargetCache {
  private readonly entries = new Map<string, { at: number; loaded: LoadedTarget }>();

  async load(hostId: string): Promise<LoadedTarget> {
    const hit = this.entries.get(hostId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.loaded;
    const loaded = await loadTarget(hostId);
    // Only usable targets are kept: a refusal is asked again next time.
    if (loaded.ok) this.entries.set(hostId, { at: Date.now(), loaded });
    else this.entries.delete(hostId);
    return loaded;
  }

  /** After a host-key mismatch the pin must be read again. */
  forget(hostId: string): void {
    this.entries.delete(hostId);
  }
}
