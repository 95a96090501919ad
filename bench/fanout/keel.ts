import { exec, SshPool, type SshTarget } from "@/lib/ssh";
import { median } from "./stats";

export type KeelHost = { name: string; target: SshTarget };
export type FanoutResult = { ms: number; answers: Map<string, string> };

const commandTimeoutMs = 30_000;

// The same fan-out a control plane does: one exec per host, all at once, through one pool.
export async function keelFanout(hosts: readonly KeelHost[], argv: readonly string[], pool: SshPool): Promise<FanoutResult> {
  const started = performance.now();
  const results = await Promise.all(hosts.map((h) => exec(h.target, argv, { timeoutMs: commandTimeoutMs, pool })));
  const ms = performance.now() - started;
  const answers = new Map<string, string>();
  results.forEach((r, i) => {
    const name = hosts[i]!.name;
    if (r.ok) answers.set(name, r.stdout);
    else console.error(`  keel ${name}: ${r.error.kind}: ${r.error.message}`);
  });
  return { ms, answers };
}

// Cold: a fresh pool each time, so every host costs TCP + key exchange + auth + the command.
export async function keelColdFanout(hosts: readonly KeelHost[], argv: readonly string[]): Promise<FanoutResult> {
  const pool = new SshPool({ maxChannelsPerConnection: 64 });
  try {
    return await keelFanout(hosts, argv, pool);
  } finally {
    pool.closeAll();
  }
}

export type SingleHostRoundTrip = { name: string; medianMs: number };

// Each host alone, one command at a time on its warm connection: the floor a fan-out cannot beat.
export async function singleHostRoundTrips(hosts: readonly KeelHost[], argv: readonly string[], pool: SshPool, rounds: number): Promise<SingleHostRoundTrip[]> {
  const out: SingleHostRoundTrip[] = [];
  for (const host of hosts) {
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const r = await exec(host.target, argv, { timeoutMs: commandTimeoutMs, pool });
      if (!r.ok) throw new Error(`keel single round trip to ${host.name}: ${r.error.kind}: ${r.error.message}`);
      samples.push(performance.now() - started);
    }
    out.push({ name: host.name, medianMs: median(samples) });
  }
  return out;
}
