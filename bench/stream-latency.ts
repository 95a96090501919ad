// npm run bench:runs (second half) — time from a line printed on a remote host to the same line in the
// run page of a real browser: a run whose one action prints a millisecond timestamp every 50 ms over SSH
// on a lab host (same machine, same clock); the page (next start, Debian's Chromium) records when each
// line appears in the step's output. Goal: p95 < 250 ms. Uses a throwaway database keel_bench_stream.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

import { chromium } from "@playwright/test";

import { db, disconnectDb } from "@/lib/db";
import { PLAN_FORMAT, planSchema } from "@/lib/runs/plan-schema";
import { planDigest } from "@/lib/runs/plan";
import { createUserRecord } from "@/lib/users/create-user-record";
import { composeEstate, machbaseCluster } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { seedLabInventory } from "../lab/seed-inventory";
import { ensureEmbeddedPostgres } from "../scripts/db/embedded";
import { resetDatabase } from "../scripts/db/reset-database";

const LINES = Number(process.env.BENCH_LINES ?? 200);
const PORT = 3310;
const WORKER_PORT = 3311;
const BASE = `http://127.0.0.1:${PORT}`;
const EMAIL = "bench-dba@keel.local";
const PASSWORD = "bench-dba-password";

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function until(what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const httpOk = (url: string) => () => fetch(url).then((r) => r.status < 500, () => false);

function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" }, stdio: "ignore" });
}

async function makeRun(clusterName: string): Promise<string> {
  const cluster = await db.cluster.findUniqueOrThrow({ where: { name: clusterName }, include: { nodes: { include: { host: true, group: true } } } });
  const user = await db.user.findUniqueOrThrow({ where: { email: EMAIL } });
  const node = cluster.nodes.find((n) => n.type === "coordinator")!;
  const script = `for i in $(seq 1 ${LINES}); do date +%s%3N; sleep 0.05; done`;
  const plan = planSchema.parse({
    format: PLAN_FORMAT,
    procedureId: "bench.stream-latency",
    title: "Stream latency bench",
    engine: cluster.engine,
    mutating: false,
    approval: "none",
    requiresSecondDba: false,
    params: {},
    inventory: {
      engine: cluster.engine,
      version: cluster.version,
      settings: cluster.settings,
      nodes: cluster.nodes.map((n) => ({ name: n.name, type: n.type, role: n.role, group: n.group?.name ?? null, hostName: n.host.name, hostAddress: n.host.address })),
    },
    steps: [
      // The run waits here until the page is open and watching; the bench then confirms it.
      { index: 0, key: "ready", stepId: "ready", title: "Page ready", item: null, help: null, kind: "confirm", text: "Start printing", destructive: false },
      {
        index: 1,
        key: "print",
        stepId: "print",
        title: `Print ${LINES} timestamps, one every 50 ms`,
        item: null,
        help: null,
        kind: "action",
        idempotent: true,
        timeoutMs: 120_000,
        host: { hostName: node.host.name, hostAddress: node.host.address, nodeName: node.name },
        argv: ["sh", "-c", script],
        stdin: null,
      },
    ],
  });
  const run = await db.run.create({
    data: {
      clusterId: cluster.id,
      clusterName: cluster.name,
      procedureId: plan.procedureId,
      title: plan.title,
      mutating: false,
      plan: plan as object,
      planDigest: planDigest(plan),
      startedById: user.id,
      startedByEmail: user.email,
      startedByRole: user.role,
      steps: {
        create: [
          { index: 0, key: "ready", kind: "confirm", title: "Page ready" },
          { index: 1, key: "print", kind: "action", title: plan.steps[1]!.title, hostName: node.host.name, nodeName: node.name, argv: ["sh", "-c", script] },
        ],
      },
    },
  });
  return run.id;
}

async function main(): Promise<void> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build: run `npx next build` first");
  const serverUrl = process.env.DATABASE_URL ?? (await ensureEmbeddedPostgres()).url;
  const url = new URL(serverUrl);
  url.pathname = "/keel_bench_stream";
  await resetDatabase(url.toString());
  process.env.DATABASE_URL = url.toString();
  await db.$transaction((tx) => createUserRecord(tx, { email: EMAIL, name: "Bench DBA", role: "DBA", password: PASSWORD }));

  const runDir = path.join(process.cwd(), "lab", ".run", "bench-stream");
  const definition = composeEstate({ name: "bench-stream", runDir, port: 2226, timeScale: 0.01 }, (ctx) => [
    machbaseCluster(ctx, "bench-stream-mach", [
      { name: "bstream1", address: "127.0.0.226" },
      { name: "bstream2", address: "127.0.0.227" },
    ]),
  ]);
  const lab = await upEstate(definition, { fresh: true });
  await seedLabInventory({ definition, lab });

  const env = { DATABASE_URL: url.toString(), KEEL_BASE_URL: BASE, KEEL_SCHEDULER: "off" };
  const server = startProcess("node", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], env);
  const worker = startProcess(process.execPath, ["--import", "tsx", "worker/main.ts"], { ...env, KEEL_WORKER_PORT: String(WORKER_PORT) });
  const browser = await chromium.launch({ executablePath: process.env.KEEL_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await until("the console", httpOk(`${BASE}/login`));
    await until("the worker", httpOk(`http://127.0.0.1:${WORKER_PORT}/health`));
    const context = await browser.newContext({ baseURL: BASE });
    const signIn = await context.request.post("/api/auth/sign-in/email", { data: { email: EMAIL, password: PASSWORD } });
    if (signIn.status() !== 200) throw new Error(`sign-in: HTTP ${signIn.status()}`);
    const page = await context.newPage();
    const runId = await makeRun("bench-stream-mach");
    await db.$executeRaw`SELECT graphile_worker.add_job('run.advance', json_build_object('runId', ${runId}::text), job_key := ${`run:${runId}`})`;
    await page.goto(`/runs/${runId}`);
    await page.getByText("live", { exact: true }).waitFor();
    await page.getByTestId("approve-step").waitFor({ timeout: 30_000 });
    // Record, in the page, when each complete line first appears in the step's output.
    await page.evaluate(() => {
      const seen: [string, number][] = [];
      const known = new Set<string>();
      (window as unknown as { keelSeen: [string, number][] }).keelSeen = seen;
      new MutationObserver(() => {
        const now = Date.now();
        const pre = document.querySelector('[data-testid="step-output-1"]');
        for (const line of (pre?.textContent ?? "").split("\n").slice(0, -1)) {
          if (/^\d{13}$/.test(line) && !known.has(line)) {
            known.add(line);
            seen.push([line, now]);
          }
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId("approve-step").click();
    await page.locator('[data-run-state="SUCCEEDED"]').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { keelSeen: [string, number][] }).keelSeen);
    const latencies = seen.map(([printed, at]) => at - Number(printed));
    if (latencies.length < LINES * 0.9) throw new Error(`only ${latencies.length} of ${LINES} lines were seen live`);
    console.log(`\nremote line → browser (SSH → worker → run_output + NOTIFY → SSE → React), ${latencies.length} lines:`);
    console.log(`  median ${percentile(latencies, 50)} ms   p95 ${percentile(latencies, 95)} ms   max ${Math.max(...latencies)} ms   (goal p95 < 250 ms)`);
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    worker.kill("SIGTERM");
    await disconnectDb();
    await downEstate(runDir);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
