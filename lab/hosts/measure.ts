// Quick timing of the transport against one real lab sshd: `npx tsx lab/hosts/measure.ts`.
import path from "node:path";
import { exec } from "../../lib/ssh/exec";
import { SshPool } from "../../lib/ssh/pool";
import { labSshTarget, startLabHosts, stopLabHosts } from "./hosts";
import { repoRoot } from "./paths";

const runDir = path.join(repoRoot, "lab", ".run", "measure");
const ms = (t0: number) => Math.round(performance.now() - t0);

let t0 = performance.now();
const estate = await startLabHosts([{ name: "t-measure", address: "127.0.0.206", port: 2206, env: {} }], { runDir });
console.log(`estate start (1 host): ${ms(t0)} ms`);
const target = await labSshTarget(estate, "t-measure");
try {
  for (let round = 1; round <= 3; round++) {
    const pool = new SshPool({ maxChannelsPerConnection: 64 });
    t0 = performance.now();
    await exec(target, ["true"], { timeoutMs: 5_000, pool });
    const login = ms(t0);
    t0 = performance.now();
    const parallel = await Promise.all(Array.from({ length: 50 }, (_, i) => exec(target, ["echo", String(i)], { timeoutMs: 10_000, pool })));
    const par = ms(t0);
    t0 = performance.now();
    for (let i = 0; i < 50; i++) await exec(target, ["echo", String(i)], { timeoutMs: 10_000, pool });
    const seq = ms(t0);
    console.log(`round ${round}: connect+login+first command ${login} ms; 50 parallel channels ${par} ms (${parallel.filter((r) => r.ok).length} ok); 50 sequential ${seq} ms`);
    pool.closeAll();
  }
} finally {
  await stopLabHosts(runDir);
}
