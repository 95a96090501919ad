// npm run bench:audit — p95 latency of the audit page with 100,000 events, measured over HTTP against
// `next start` (the production server), signed in as an AUDITOR. Also times chain verification and a
// full CSV export. Uses a throwaway database `keel_bench` on the embedded (or DATABASE_URL's) server.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { appendAuditBatch } from "@/lib/audit/append";
import { db, disconnectDb } from "@/lib/db";
import { createUserRecord } from "@/lib/users/create-user-record";
import { ensureEmbeddedPostgres } from "../scripts/db/embedded";
import { resetDatabase } from "../scripts/db/reset-database";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const PORT = 3300;
const BASE = `http://127.0.0.1:${PORT}`;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function seed(): Promise<void> {
  await db.$transaction((tx) => createUserRecord(tx, { email: "bench-auditor@keel.local", name: "Bench", role: "AUDITOR", password: "bench-auditor-pw" }));
  const actors = Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, email: `dba${i}@corp.example`, role: i % 4 === 0 ? "ADMIN" : "DBA" }));
  const actions = ["cluster.create", "cluster.update", "node.create", "host.update", "credential.update", "run.step.finished", "ssh.exec", "auth.sign_in"];
  const batch = 2000;
  const t0 = performance.now();
  for (let done = 0; done < EVENTS; done += batch) {
    const actor = actors[(done / batch) % actors.length]!;
    await db.$transaction(
      (tx) =>
        appendAuditBatch(tx, actor, Array.from({ length: Math.min(batch, EVENTS - done) }, (_, i) => {
          const n = done + i;
          return {
            action: actions[n % actions.length]!,
            clusterName: `cluster-${n % 40}`,
            hostName: `host-${n % 120}`,
            payload: { n, argv: ["machcoordinatoradmin", "--cluster-status-full"], exitCode: 0 },
          };
        })),
      { timeout: 120_000 },
    );
  }
  console.log(`seeded ${EVENTS.toLocaleString()} chained events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function waitReady(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("next start exited");
    const ok = await fetch(`${BASE}/login`).then((r) => r.status < 500, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("next start did not become ready in 60 s");
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? (await ensureEmbeddedPostgres()).url;
  const url = new URL(serverUrl);
  url.pathname = "/keel_bench";
  await resetDatabase(url.toString());
  process.env.DATABASE_URL = url.toString();
  await seed();

  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build` first");
  const server = spawn("node", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    env: { ...process.env, KEEL_BASE_URL: BASE, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  try {
    await waitReady(server);
    const signIn = await fetch(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ email: "bench-auditor@keel.local", password: "bench-auditor-pw" }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: HTTP ${signIn.status}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${BASE}${path}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      return { ms: performance.now() - t, body };
    };

    const mid = (await db.auditEvent.findFirstOrThrow({ where: {}, orderBy: { id: "asc" }, skip: Math.floor(EVENTS / 2), select: { id: true } })).id;
    const scenarios: [string, string][] = [
      ["newest page", "/audit"],
      ["filter actor", "/audit?actor=dba3%40corp.example"],
      ["filter action", "/audit?action=credential.update"],
      ["filter cluster", "/audit?cluster=cluster-17"],
      ["actor+action+cluster", "/audit?actor=dba4%40corp.example&action=node.create&cluster=cluster-2"],
      ["deep page (keyset)", `/audit?before=${mid}`],
      ["time range", `/audit?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`],
    ];
    for (const [, path] of scenarios) for (let i = 0; i < 3; i++) await get(path);
    const all: number[] = [];
    console.log(`\nGET /audit over HTTP, ${ROUNDS} rounds per scenario, ${EVENTS.toLocaleString()} events:`);
    for (const [label, path] of scenarios) {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) times.push((await get(path)).ms);
      all.push(...times);
      console.log(`  ${label.padEnd(22)} median ${fmt(percentile(times, 50)).padStart(9)}   p95 ${fmt(percentile(times, 95)).padStart(9)}`);
    }
    console.log(`  ${"ALL".padEnd(22)} median ${fmt(percentile(all, 50)).padStart(9)}   p95 ${fmt(percentile(all, 95)).padStart(9)}`);

    const verifyStart = performance.now();
    const verify = await fetch(`${BASE}/api/v1/audit/verify`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: BASE }, body: "{}" });
    console.log(`\nverify chain: ${JSON.stringify(((await verify.json()) as { data: unknown }).data)} in ${fmt(performance.now() - verifyStart)}`);
    const exportStart = performance.now();
    const csv = await get("/api/v1/audit/export?format=csv");
    console.log(`CSV export: ${(csv.body.length / 1e6).toFixed(1)} MB, ${csv.body.trim().split("\n").length - 1} rows in ${fmt(performance.now() - exportStart)}`);
  } finally {
    server.kill("SIGTERM");
    await disconnectDb();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
