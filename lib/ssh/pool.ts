import { createHash } from "node:crypto";
import type { Client } from "ssh2";
import { openConnection, type ConnectOptions } from "./connect";
import { sshErrors, type SshError } from "./errors";
import { hostLabel, poolKey, type SshTarget } from "./target";

export type PoolOptions = Partial<ConnectOptions> & {
  // OpenSSH refuses more than MaxSessions (default 10) channels per connection; excess callers queue.
  maxChannelsPerConnection?: number;
};

export type ChannelLease = { client: Client; release: () => void; connectionAlive: () => boolean; markBroken: () => void };
export type LeaseResult = { ok: true; lease: ChannelLease } | { ok: false; error: SshError };

type Entry = {
  identity: string;
  connecting: Promise<{ ok: true; client: Client } | { ok: false; error: SshError }>;
  client: Client | null;
  alive: boolean;
  retired: boolean;
  activeChannels: number;
  waiting: Array<() => void>;
};

const defaults = {
  connectTimeoutMs: 10_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  maxChannelsPerConnection: 10,
};

// One ssh2 connection per address:port:user, shared by all commands as channels. A dropped
// connection is forgotten and the next lease dials again.
export class SshPool {
  private readonly entries = new Map<string, Entry>();
  private readonly options: typeof defaults;

  constructor(options: PoolOptions = {}) {
    this.options = { ...defaults, ...definedOnly(options) };
  }

  async lease(target: SshTarget, signal?: AbortSignal): Promise<LeaseResult> {
    const key = poolKey(target);
    const identity = identityOf(target);
    let entry = this.entries.get(key);
    if (entry && !entry.alive) {
      this.drop(key, entry);
      entry = undefined;
    }
    // A re-pinned key or a new credential must never ride on a connection made under the old ones;
    // commands already running on it may finish first.
    if (entry && entry.identity !== identity) {
      this.retire(key, entry);
      entry = undefined;
    }
    if (!entry) entry = this.dial(key, target, identity);

    const connected = await untilAborted(entry.connecting, signal);
    if (connected === "aborted") return { ok: false, error: sshErrors.cancelled(hostLabel(target)) };
    if (!connected.ok) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      return connected;
    }
    await this.waitForSlot(entry, signal);
    let released = false;
    const current = entry;
    return {
      ok: true,
      lease: {
        client: connected.client,
        release: () => {
          if (released) return;
          released = true;
          current.activeChannels--;
          current.waiting.shift()?.();
          if (current.retired && current.activeChannels === 0) this.drop(key, current);
        },
        connectionAlive: () => current.alive,
        markBroken: () => this.drop(key, current),
      },
    };
  }

  connectionCount(): number {
    return [...this.entries.values()].filter((e) => e.alive && e.client !== null).length;
  }

  close(target: Pick<SshTarget, "address" | "port" | "user">): void {
    const key = poolKey(target);
    const entry = this.entries.get(key);
    if (entry) this.drop(key, entry);
  }

  closeAll(): void {
    for (const [key, entry] of this.entries) this.drop(key, entry);
  }

  private dial(key: string, target: SshTarget, identity: string): Entry {
    const entry: Entry = {
      identity,
      client: null,
      alive: true,
      retired: false,
      activeChannels: 0,
      waiting: [],
      connecting: openConnection(target, this.options).then((result) => {
        if (!result.ok) {
          entry.alive = false;
          return result;
        }
        entry.client = result.client;
        const forget = () => {
          entry.alive = false;
          if (this.entries.get(key) === entry) this.entries.delete(key);
        };
        result.client.on("close", forget);
        result.client.on("end", forget);
        // Errors after login (keepalive timeout, reset) surface as 'close'; this only stops the throw.
        result.client.on("error", forget);
        return result;
      }),
    };
    this.entries.set(key, entry);
    return entry;
  }

  private waitForSlot(entry: Entry, signal?: AbortSignal): Promise<void> {
    if (entry.activeChannels < this.options.maxChannelsPerConnection) {
      entry.activeChannels++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal?.removeEventListener("abort", giveUp);
        entry.activeChannels++;
        resolve();
      };
      // An aborted waiter still resolves; the caller sees the abort and releases at once.
      const giveUp = () => {
        const i = entry.waiting.indexOf(grant);
        if (i >= 0) entry.waiting.splice(i, 1);
        entry.activeChannels++;
        resolve();
      };
      entry.waiting.push(grant);
      signal?.addEventListener("abort", giveUp, { once: true });
    });
  }

  private retire(key: string, entry: Entry): void {
    entry.retired = true;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    if (entry.activeChannels === 0) this.drop(key, entry);
  }

  private drop(key: string, entry: Entry): void {
    entry.alive = false;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    entry.client?.end();
    void entry.connecting.then((r) => {
      if (r.ok) r.client.end();
    });
  }
}

// A cancelled caller stops waiting for a slow dial; the dial itself goes on for the pool's sake.
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | "aborted"> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve) => {
    const onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}

function identityOf(target: SshTarget): string {
  const secret = target.credential.type === "password" ? `pw:${target.credential.password}` : `key:${target.credential.privateKey}:${target.credential.passphrase ?? ""}`;
  return `${target.hostKeyFingerprint ?? "untrusted"}|${createHash("sha256").update(secret).digest("hex")}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
