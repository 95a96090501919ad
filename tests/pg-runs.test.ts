// Issue 5 through Keel's run engine: the PostgreSQL procedures previewed, started, approved by a second
// DBA and executed by the engine (advanceRun, the worker's own code) over real SSH to real sshd lab
// hosts, on real PostgreSQL 15 (and 11) servers. Nothing is simulated: every check is the procedure's
// own, every command runs as the host's lab user in its login environment.
//
// Lab: 127.0.0.237–238:2237 (PostgreSQL 15 bare pair pgr15a/b), 127.0.0.239–240:2237 (PostgreSQL 11
// bare pair pgr11a/b); run dir lab/.run/test-pg-runs.
import { existsSync } from "node:fs";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { composeEstate, PG11, PG_PORT, postgresCluster, type EstateDefinition, type PgServer } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { startHost, stopHost } from "../lab/lab";
import { killServer, postmasterPid, query } from "../lab/postgres/server";
import { runAs } from "../lab/postgres/run-as";
import { seedLabInventory } from "../lab/seed-inventory";
import { db } from "@/lib/db";
import { cancelRun } from "@/lib/runs/actions/cancel-run";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import { defaultPool } from "@/lib/ssh";
import { sampleCluster } from "@/lib/status/sample-cluster";
import { useTestDatabase } from "./db";
import { makeUser } from "./factories";
import { expectSucceeded, runToEnd, sealedCredential, sql, timings, until, type Outcome, type StepRow } from "./run-driver";
import { inProcessWorker } from "./runs-lab";

useTestDatabase();

const RUN_DIR = path.join(process.cwd(), "lab", ".run", "test-pg-runs");
const SSH_PORT = 2237;
const SECRET = "pg-runs-secret:with\\odd'chars";

type User = Awaited<ReturnType<typeof makeUser>>;
type Worker = Awaited<ReturnType<typeof inProcessWorker>>;
type Pair = { clusterId: string; servers: [PgServer, PgServer]; nodes: [string, string]; hostNames: [string, string] };

let definition: EstateDefinition;
let worker: Worker;
let dba: User;
let dba2: User;
let credential = "";
let wrongCredential = "";
const pairs: Record<"pg15" | "pg11", Pair> = {} as Record<"pg15" | "pg11", Pair>;

// ---- helpers ---------------------------------------------------------------------------------------

async function preview(actor: User, pair: Pair, procedureId: string, params: Record<string, unknown>) {
  const p = await previewRun.invoke(actor, { clusterId: pair.clusterId, procedureId, params });
  if (!p.ok) throw new Error(`preview refused: ${JSON.stringify(p.error)}`);
  return p.value;
}

/** Previews, starts, drives the run in-process; every confirm step is approved by the second DBA. */
function runProcedure(pair: Pair, procedureId: string, params: Record<string, unknown>, o: { approve?: boolean } = {}): Promise<Outcome> {
  return runToEnd({ starter: dba, approver: dba2, worker, clusterId: pair.clusterId, approve: o.approve }, procedureId, params);
}

function step(o: Outcome, key: string): StepRow {
  const s = o.steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key} in ${o.steps.map((x) => x.key).join(", ")}`);
  return s;
}

/** The run failed at `key` (nothing after it ran) with `message` on the step and in the run's reason. */
function expectFailedAt(o: Outcome, key: string, message: RegExp): void {
  expect(o.state, o.reason).toBe("FAILED");
  const failed = o.steps.filter((s) => s.state === "FAILED");
  expect(failed.map((s) => s.key)).toEqual([key]);
  expect(failed[0]!.message).toMatch(message);
  expect(o.reason).toMatch(message);
  const at = failed[0]!.index;
  expect(o.steps.filter((s) => s.index > at).every((s) => s.state === "PENDING")).toBe(true);
}


async function missing(s: PgServer, ids: readonly number[]): Promise<number[]> {
  const rows = await sql<{ id: number }>(s, "SELECT id FROM keel_it WHERE id = ANY($1::int[])", [ids]);
  const present = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !present.has(id));
}

type Ack = { id: number; host: string; at: number };

/**
 * Commits numbered rows, one transaction each, to whichever server of the pair accepts writes: it keeps
 * to the one that last acknowledged and, when that fails, tries the other. Every attempt takes a new id
 * (an unacknowledged commit may still have happened), so only acknowledged ids are counted.
 */
function writer(servers: readonly PgServer[], firstId: number) {
  const acks: Ack[] = [];
  let running = true;
  let current = 0;
  let id = firstId;
  const loop = (async () => {
    while (running) {
      const s = servers[current]!;
      const r = await query(s, "INSERT INTO keel_it VALUES ($1)", [id]);
      if (r.ok) acks.push({ id, host: s.host, at: Date.now() });
      else {
        current = (current + 1) % servers.length;
        // A retry interval, not a readiness wait: the next attempt is the probe.
        await new Promise((res) => setTimeout(res, 10));
      }
      id += 1;
    }
  })();
  return {
    acks,
    stop: async () => {
      running = false;
      await loop;
      return acks;
    },
  };
}

/** Promote step start → the writer's first acknowledged row on the promoted server. */
function rto(o: Outcome, acks: readonly Ack[], promotedHost: string): number {
  const promoteAt = step(o, "promote").startedAt;
  if (!promoteAt) throw new Error("promote did not start");
  const first = acks.find((a) => a.host === promotedHost && a.at >= promoteAt.getTime());
  if (!first) throw new Error(`no write acknowledged by ${promotedHost} after the promotion`);
  return first.at - promoteAt.getTime();
}

/** Holds `count` walsenders on a server (replication connections over its socket), reconnecting at once after a restart. */
function walsenderHolder(s: PgServer, count: number) {
  let running = true;
  const clients = new Set<pg.Client>();
  const hold = async () => {
    while (running) {
      // pg sends `replication` in the start-up packet (a walsender backend), though its types omit it.
      const config: pg.ClientConfig & { replication: string } = { host: s.socketDir, port: PG_PORT, user: "postgres", database: "postgres", replication: "true", connectionTimeoutMillis: 2_000 };
      const client = new pg.Client(config);
      const closed = new Promise<void>((resolve) => {
        client.on("error", () => resolve());
        client.on("end", () => resolve());
      });
      try {
        await client.connect();
        clients.add(client);
        await closed;
      } catch {
        await new Promise((res) => setTimeout(res, 20));
      } finally {
        clients.delete(client);
        await client.end().catch(() => undefined);
      }
    }
  };
  const loops = Array.from({ length: count }, hold);
  return {
    stop: async () => {
      running = false;
      for (const c of clients) await c.end().catch(() => undefined);
      await Promise.all(loops);
    },
  };
}

async function processGone(pid: number, timeoutMs: number): Promise<void> {
  await until(`pid ${pid} to be gone`, timeoutMs, async () => !existsSync(`/proc/${pid}`));
}

async function nodeRoles(pair: Pair): Promise<Record<string, string>> {
  const rows = await db.node.findMany({ where: { clusterId: pair.clusterId }, select: { name: true, role: true } });
  return Object.fromEntries(rows.map((r) => [r.name, r.role]));
}

async function roleChanges(runId: string) {
  return db.auditEvent.findMany({ where: { action: "node.role_change", payload: { path: ["runId"], equals: runId } }, orderBy: { id: "asc" } });
}

/** The status prober's view (the cluster page's): which server streams, with what lag. */
async function observed(pair: Pair) {
  const o = await sampleCluster(pair.clusterId);
  if (!o) throw new Error("cluster not found");
  return o;
}

// ---- estate ----------------------------------------------------------------------------------------

beforeAll(async () => {
  definition = composeEstate({ name: "test-pg-runs", runDir: RUN_DIR, port: SSH_PORT, timeScale: 1 }, (ctx) => [
    postgresCluster(ctx, "pgr15", [{ name: "pgr15a", address: "127.0.0.237" }, { name: "pgr15b", address: "127.0.0.238" }], "bare"),
    postgresCluster(ctx, "pgr11", [{ name: "pgr11a", address: "127.0.0.239" }, { name: "pgr11b", address: "127.0.0.240" }], "bare", PG11),
  ]);
  const lab = await upEstate(definition, { fresh: true, build: false });
  await seedLabInventory({ definition, lab });
  for (const [key, name] of [["pg15", "pgr15"], ["pg11", "pgr11"]] as const) {
    const cluster = definition.clusters.find((c) => c.name === name)!;
    const row = await db.cluster.findUniqueOrThrow({ where: { name } });
    pairs[key] = {
      clusterId: row.id,
      servers: [cluster.postgres[0]!, cluster.postgres[1]!],
      nodes: [cluster.nodes[0]!.name, cluster.nodes[1]!.name],
      hostNames: [cluster.postgres[0]!.host, cluster.postgres[1]!.host],
    };
  }
  worker = await inProcessWorker();
  dba = await makeUser("DBA");
  dba2 = await makeUser("DBA");
  credential = await sealedCredential("pg-runs-replication", "PASSWORD", SECRET);
  wrongCredential = await sealedCredential("pg-runs-wrong", "PASSWORD", "not-the-password");
}, 120_000);

afterAll(async () => {
  await defaultPool().closeAll();
  await downEstate(RUN_DIR);
}, 120_000);

// ---- PostgreSQL 15 ---------------------------------------------------------------------------------

describe("PostgreSQL 15 through the run engine over SSH", () => {
  const p = () => pairs.pg15;
  const [A, B] = [0, 1] as const;
  const server = (i: 0 | 1) => p().servers[i];
  const node = (i: 0 | 1) => p().nodes[i];

  it("set-up refused before pg_basebackup: the pg_hba entry is missing (with the fix)", async () => {
    const o = await runProcedure(p(), "postgres.streaming-setup", { primary: node(A), standby: node(B), passwordCredential: credential });
    // Every loopback connection leaves from 127.0.0.1, which the procedure's own hba lines (both hosts) do not cover.
    expectFailedAt(o, "replication-connection", /no pg_hba\.conf entry for replication connection from host "127\.0\.0\.1", user "replicator"[\s\S]* — add "host replication replicator 127\.0\.0\.1\/32 md5" \(and the other host's address\) to 127\.0\.0\.237:5432's pg_hba\.conf, then SELECT pg_reload_conf\(\)/);
    console.log(`15 set-up, pg_hba missing: ${o.reason}`);
    expect(step(o, "basebackup").state).toBe("PENDING");
  }, 60_000);

  it("set-up refused before pg_basebackup: too few free WAL senders (with the fix)", async () => {
    // max_wal_senders = 2 while another client holds one sender: pg_basebackup -X stream needs two.
    const holder = walsenderHolder(server(A), 1);
    try {
      const o = await runProcedure(p(), "postgres.streaming-setup", { primary: node(A), standby: node(B), passwordCredential: credential, maxWalSenders: 2, hbaSources: ["127.0.0.1/32"] });
      expectFailedAt(o, "senders-free", /max_wal_senders is 2 with 1 in use: pg_basebackup would fail with "number of requested standby connections exceeds max_wal_senders \(currently 2\)"\. Raise it \(ALTER SYSTEM SET max_wal_senders = \d+\) and restart/);
      expect(step(o, "basebackup").state).toBe("PENDING");
    } finally {
      await holder.stop();
    }
  }, 60_000);

  it("streaming set-up on the bare pair: the standby streams with lag 0 (status prober)", async () => {
    const o = await runProcedure(p(), "postgres.streaming-setup", { primary: node(A), standby: node(B), passwordCredential: credential, hbaSources: ["127.0.0.1/32"] });
    expectSucceeded(o);
    console.log(`15 set-up: ${timings(o)}`);
    const sample = await observed(p());
    const standby = sample.nodes.find((n) => n.name === node(B));
    expect(standby?.rpState, JSON.stringify(sample)).toBe("streaming");
    expect(standby?.detail.lagBytes).toBe(0);
    expect(sample.health, sample.reason).toBe("healthy");
    await sql(server(A), "CREATE TABLE keel_it (id int PRIMARY KEY)");
  }, 90_000);

  it("fail-over with a writer running: fenced, promoted, every acknowledged row on the new primary; inventory roles swapped", async () => {
    const w = writer([server(A), server(B)], 1);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 20);
    const o = await runProcedure(p(), "postgres.failover", { standby: node(B), oldPrimary: node(A) });
    expectSucceeded(o);
    await until("a write on the promoted server", 15_000, async () => w.acks.some((a) => a.host === server(B).host));
    const acks = await w.stop();
    const lost = await missing(server(B), acks.map((a) => a.id));
    console.log(`15 fail-over (fenced, pg_promote): RTO ${rto(o, acks, server(B).host)} ms (promote → first write), ${acks.length} acknowledged rows, ${lost.length} lost; ${timings(o)}`);
    expect(lost).toEqual([]);
    expect(step(o, "reachable[0]/approve").decidedBy).toBe(dba2.email);
    // The promotion's recorded roles: Node.role swapped, each change audited.
    expect(await nodeRoles(p())).toEqual({ [node(A)]: "standby", [node(B)]: "primary" });
    const changes = await roleChanges(o.runId);
    expect(changes.map((c) => [c.nodeName, (c.payload as { before: string; after: string }).after])).toEqual(expect.arrayContaining([[node(B), "primary"], [node(A), "standby"]]));
    expect(changes).toHaveLength(2);
  }, 90_000);

  it("fail-back with pg_rewind of the old primary, a writer running on the new primary; the standby catches up", async () => {
    const w = writer([server(B)], 100_000);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 5);
    const o = await runProcedure(p(), "postgres.failback-rewind", { target: node(A), source: node(B), passwordCredential: credential });
    const acks = await w.stop();
    expectSucceeded(o);
    console.log(`15 fail-back (pg_rewind): ${timings(o)}; pg_rewind said: ${(step(o, "rewind[0]/pg-rewind").stderr + step(o, "rewind[0]/pg-rewind").stdout).trim().split("\n").slice(-3).join(" | ")}`);
    expect(step(o, "rewind[0]/pg-rewind").state).toBe("SUCCEEDED");
    // After a clean fence the old primary's WAL ends at its shutdown checkpoint, which the promoted standby
    // replayed: pg_rewind finds the divergence at its end and has nothing to copy (the crash case below rewinds for real).
    expect(step(o, "rewind[0]/pg-rewind").stderr).toMatch(/servers diverged at WAL location \S+ on timeline 1/);
    expect(await missing(server(B), acks.map((a) => a.id))).toEqual([]);
    await until("the rewound standby has every acknowledged row", 20_000, async () => (await missing(server(A), acks.map((a) => a.id))).length === 0);
    const sample = await observed(p());
    expect(sample.nodes.find((n) => n.name === node(A))?.rpState).toBe("streaming");
    console.log(`15 fail-back: ${acks.length} acknowledged rows during it, 0 lost, standby caught up`);
  }, 90_000);

  it("switch-back (planned) with a writer running: 0 acknowledged rows lost, roles back", async () => {
    const w = writer([server(B), server(A)], 200_000);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 20);
    const o = await runProcedure(p(), "postgres.switchback", { primary: node(B), standby: node(A) });
    expectSucceeded(o);
    await until("a write on the promoted server", 15_000, async () => w.acks.some((a) => a.host === server(A).host && a.at >= step(o, "promote").startedAt!.getTime()));
    const acks = await w.stop();
    const lost = await missing(server(A), acks.map((a) => a.id));
    console.log(`15 switch-back: RTO ${rto(o, acks, server(A).host)} ms, ${acks.length} acknowledged rows, ${lost.length} lost; ${timings(o)}`);
    expect(lost).toEqual([]);
    expect(await nodeRoles(p())).toEqual({ [node(A)]: "primary", [node(B)]: "standby" });
    await until("the new standby has every acknowledged row", 20_000, async () => (await missing(server(B), acks.map((a) => a.id))).length === 0);
    const sample = await observed(p());
    expect(sample.nodes.find((n) => n.name === node(B))?.rpState).toBe("streaming");
  }, 90_000);

  // ---- bad input and faults (the pair is back to A primary, B streaming standby) ----

  it("promote on a server that is already primary: refused by the first precheck", async () => {
    const params = { standby: node(A), oldPrimary: node(B) };
    const reviewed = await preview(dba, p(), "postgres.failover", params);
    expect(reviewed.prechecks.find((c) => !c.ok)?.reason).toMatch(/is not in recovery: it is already a primary/);
    const o = await runProcedure(p(), "postgres.failover", params);
    expectFailedAt(o, "standby-version", new RegExp(`${node(A).replaceAll(".", "\\.")} is not in recovery: it is already a primary`));
    expect(step(o, "promote").state).toBe("PENDING");
    expect(await sql<{ r: boolean }>(server(A), "SELECT pg_is_in_recovery() AS r")).toEqual([{ r: false }]);
  }, 30_000);

  it("two DBAs fail over the same cluster at once: exactly one run starts, the other is refused naming the holder", async () => {
    const params = { standby: node(B), oldPrimary: node(A) };
    const [r1, r2] = await Promise.all([preview(dba, p(), "postgres.failover", params), preview(dba2, p(), "postgres.failover", params)]);
    const starts = await Promise.all([
      startRun.invoke(dba, { clusterId: p().clusterId, procedureId: "postgres.failover", params: r1.plan.params, planDigest: r1.digest }),
      startRun.invoke(dba2, { clusterId: p().clusterId, procedureId: "postgres.failover", params: r2.plan.params, planDigest: r2.digest }),
    ]);
    const won = starts.filter((s) => s.ok);
    const lost = starts.flatMap((s, i) => (s.ok ? [] : [{ error: s.error, loser: i === 0 ? dba : dba2, winner: i === 0 ? dba2 : dba }]));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.error.code).toBe("CONFLICT");
    expect(lost[0]!.error.message).toContain(`started by ${lost[0]!.winner.email}`);
    expect(lost[0]!.error.message).toContain("Fail-over to a standby");
    const runs = await db.run.findMany({ where: { clusterId: p().clusterId, procedureId: "postgres.failover", state: { in: ["RUNNING", "WAITING"] } } });
    expect(runs).toHaveLength(1);
    const cancelled = await cancelRun.invoke(lost[0]!.winner, { runId: runs[0]!.id });
    expect(cancelled.ok).toBe(true);
    expect(await db.clusterLease.count({ where: { clusterId: p().clusterId } })).toBe(0);
  }, 30_000);

  it("fail-back of a target that is still running: refused before anything changes", async () => {
    const params = { target: node(B), source: node(A), passwordCredential: credential };
    const reviewed = await preview(dba, p(), "postgres.failback-rewind", params);
    expect(reviewed.prechecks.find((c) => !c.ok)?.reason).toMatch(/still running: fence it first/);
    const o = await runProcedure(p(), "postgres.failback-rewind", params);
    expectFailedAt(o, "target-stopped", /is still running: fence it first \(pg_ctl stop -m fast\) — pg_rewind needs the target shut down/);
  }, 30_000);

  it("fail-over to a standby whose host is unreachable: the first step fails naming the host, nothing changes", async () => {
    await stopHost(p().hostNames[B], { runDir: RUN_DIR });
    try {
      const params = { standby: node(B), oldPrimary: node(A) };
      const reviewed = await preview(dba, p(), "postgres.failover", params);
      const unreachable = reviewed.prechecks.find((c) => !c.ok);
      expect(unreachable?.reason).toMatch(/127\.0\.0\.238|refused|connect/i);
      const o = await runProcedure(p(), "postgres.failover", params);
      expect(o.state).toBe("FAILED");
      expect(o.steps.filter((s) => s.state === "FAILED").map((s) => s.key)).toEqual(["standby-version"]);
      console.log(`15 unreachable standby host: ${o.reason}`);
      expect(o.reason).toMatch(/^Step 1 \(.*\) failed: .*(refused|connect|reach)/i);
      expect(postmasterPid(server(A))).not.toBeNull();
    } finally {
      await startHost(p().hostNames[B], { runDir: RUN_DIR });
    }
  }, 60_000);

  it("fail-over after kill -9 of the primary (attested down) with a writer: RTO and rows lost reported", async () => {
    const w = writer([server(A), server(B)], 300_000);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 20);
    const killed = killServer(server(A));
    if (!killed.ok) throw new Error(killed.error);
    // This machine's PID 1 reaps orphans late; PostgreSQL will not start while the dead postmaster's pid exists.
    await processGone(killed.value, 60_000);
    const o = await runProcedure(p(), "postgres.failover", { standby: node(B), oldPrimary: node(A), oldPrimaryReachable: false });
    expectSucceeded(o);
    expect(step(o, "unreachable[0]/attest-down").decidedBy).toBe(dba2.email);
    await until("a write on the promoted server", 15_000, async () => w.acks.some((a) => a.host === server(B).host && a.at >= step(o, "promote").startedAt!.getTime()));
    const acks = await w.stop();
    const lost = await missing(server(B), acks.map((a) => a.id));
    console.log(`15 fail-over (kill -9, attested, async): RTO ${rto(o, acks, server(B).host)} ms, ${acks.length} acknowledged rows, ${lost.length} lost${lost.length ? ` (${lost.join(", ")})` : ""}`);
    expect(await nodeRoles(p())).toEqual({ [node(A)]: "standby", [node(B)]: "primary" });
  }, 90_000);

  it("fail-back with the wrong replication password: refused before pg_rewind, naming the credential", async () => {
    const o = await runProcedure(p(), "postgres.failback-rewind", { target: node(A), source: node(B), passwordCredential: wrongCredential, targetCrashed: true });
    expectFailedAt(o, "rewind[0]/rewindable", /password authentication failed for user "replicator"[\s\S]* — the replication password in the credential does not match replicator's/);
    expect(step(o, "crash-recovery[0]/stop-clean").state).toBe("SUCCEEDED");
    expect(step(o, "rewind[0]/pg-rewind").state).toBe("PENDING");
  }, 60_000);

  it("fail-back of a target without wal_log_hints: refused before pg_rewind starts, with the fix", async () => {
    // The old primary ran without wal_log_hints (its control file records it at each shutdown).
    const a = server(A);
    const started = await runAs(a.user, path.join(a.bin, "pg_ctl"), ["start", "-w", "-D", a.pgdata, "-l", a.logFile, "-o", "-c listen_addresses='' -c wal_log_hints=off"], { cwd: a.dir });
    expect(started.code, started.stderr).toBe(0);
    const stopped = await runAs(a.user, path.join(a.bin, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", a.pgdata], { cwd: a.dir });
    expect(stopped.code, stopped.stderr).toBe(0);
    const params = { target: node(A), source: node(B), passwordCredential: credential };
    const fix = /neither wal_log_hints = on nor data checksums: pg_rewind refuses\. Use the re-clone method now; set wal_log_hints = on on both servers/;
    const reviewed = await preview(dba, p(), "postgres.failback-rewind", params);
    expect(reviewed.prechecks.find((c) => !c.ok)?.reason).toMatch(fix);
    const o = await runProcedure(p(), "postgres.failback-rewind", params);
    expectFailedAt(o, "rewind[0]/rewindable", fix);
    expect(step(o, "rewind[0]/pg-rewind").state).toBe("PENDING");
  }, 60_000);

  it("fail-back with pg_rewind of the crashed old primary: really rewound, a writer running, the standby catches up", async () => {
    // wal_log_hints back on (postgresql.conf has it): one clean start and stop records it in pg_control.
    const a = server(A);
    const started = await runAs(a.user, path.join(a.bin, "pg_ctl"), ["start", "-w", "-D", a.pgdata, "-l", a.logFile, "-o", "-c listen_addresses=''"], { cwd: a.dir });
    expect(started.code, started.stderr).toBe(0);
    const stopped = await runAs(a.user, path.join(a.bin, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", a.pgdata], { cwd: a.dir });
    expect(stopped.code, stopped.stderr).toBe(0);
    const w = writer([server(B)], 400_000);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 5);
    const o = await runProcedure(p(), "postgres.failback-rewind", { target: node(A), source: node(B), passwordCredential: credential });
    const acks = await w.stop();
    expectSucceeded(o);
    const rewind = step(o, "rewind[0]/pg-rewind");
    console.log(`15 fail-back after the crash (pg_rewind): ${timings(o)}; pg_rewind said: ${rewind.stderr.trim().split("\n").join(" | ")}`);
    expect(rewind.stderr).toMatch(/servers diverged at WAL location \S+ on timeline \d+/);
    expect(rewind.stderr).toMatch(/rewinding from last common checkpoint/);
    expect(rewind.stderr).not.toMatch(/no rewind required/);
    expect(await missing(server(B), acks.map((x) => x.id))).toEqual([]);
    await until("the rewound standby has every acknowledged row", 20_000, async () => (await missing(server(A), acks.map((x) => x.id))).length === 0);
    const sample = await observed(p());
    expect(sample.nodes.find((n) => n.name === node(A))?.rpState).toBe("streaming");
    expect(sample.health, sample.reason).toBe("healthy");
  }, 90_000);
});

// ---- PostgreSQL 11 (recovery.conf era) -----------------------------------------------------------------

describe("PostgreSQL 11 through the run engine over SSH", () => {
  const p = () => pairs.pg11;
  const [A, B] = [0, 1] as const;
  const server = (i: 0 | 1) => p().servers[i];
  const node = (i: 0 | 1) => p().nodes[i];
  const trigger = () => path.join(server(B).dir, "promote.trigger");

  it("set-up writes recovery.conf with a trigger file; the standby streams", async () => {
    const o = await runProcedure(p(), "postgres.streaming-setup", { primary: node(A), standby: node(B), passwordCredential: credential, hbaSources: ["127.0.0.1/32"], triggerFile: trigger() });
    expectSucceeded(o);
    expect(step(o, "standby-config").title).toContain("recovery.conf");
    const v = await sql<{ v: string; rec: boolean }>(server(B), "SELECT current_setting('server_version_num') AS v, pg_is_in_recovery() AS rec");
    expect(v[0]).toEqual({ v: expect.stringMatching(/^110\d{3}$/), rec: true });
    expect((await observed(p())).nodes.find((n) => n.name === node(B))?.rpState).toBe("streaming");
    await sql(server(A), "CREATE TABLE keel_it (id int PRIMARY KEY)");
  }, 90_000);

  it("fail-over by the trigger file with a writer running: every acknowledged row on the new primary", async () => {
    const w = writer([server(A), server(B)], 1);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 20);
    const o = await runProcedure(p(), "postgres.failover", { standby: node(B), oldPrimary: node(A), method: "trigger-file", triggerFile: trigger() });
    expectSucceeded(o);
    await until("a write on the promoted server", 20_000, async () => w.acks.some((a) => a.host === server(B).host));
    const acks = await w.stop();
    const lost = await missing(server(B), acks.map((a) => a.id));
    console.log(`11 fail-over (fenced, trigger file): RTO ${rto(o, acks, server(B).host)} ms, ${acks.length} acknowledged rows, ${lost.length} lost; ${timings(o)}`);
    expect(lost).toEqual([]);
    expect(await nodeRoles(p())).toEqual({ [node(A)]: "standby", [node(B)]: "primary" });
  }, 90_000);

  it("fail-back by re-clone (no PostgreSQL 11 pg_rewind in the lab), then switch-back with pg_ctl promote: 0 acknowledged rows lost", async () => {
    const back = await runProcedure(p(), "postgres.failback-rewind", { target: node(A), source: node(B), passwordCredential: credential, method: "re-clone" });
    expectSucceeded(back);
    console.log(`11 fail-back (re-clone): ${timings(back)}`);
    const w = writer([server(B), server(A)], 100_000);
    await until("the writer's first rows", 10_000, async () => w.acks.length >= 20);
    const o = await runProcedure(p(), "postgres.switchback", { primary: node(B), standby: node(A), method: "pg_ctl" });
    expectSucceeded(o);
    await until("a write on the promoted server", 20_000, async () => w.acks.some((a) => a.host === server(A).host && a.at >= step(o, "promote").startedAt!.getTime()));
    const acks = await w.stop();
    const lost = await missing(server(A), acks.map((a) => a.id));
    console.log(`11 switch-back (pg_ctl promote): RTO ${rto(o, acks, server(A).host)} ms, ${acks.length} acknowledged rows, ${lost.length} lost; ${timings(o)}`);
    expect(lost).toEqual([]);
    expect(await nodeRoles(p())).toEqual({ [node(A)]: "primary", [node(B)]: "standby" });
  }, 120_000);
});

