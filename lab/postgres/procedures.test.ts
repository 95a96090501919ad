// The PostgreSQL procedures' plans carried out for real: real PostgreSQL 15 and 11 servers run as lab
// users on 127.0.0.233–236, every step's argv executed as the host's user with its login environment
// (lab/postgres/plan-runner.ts), every check judged by the procedure's own assertion. Set-up on a bare
// pair, fail-over, fail-back (pg_rewind on 15; re-clone on 11, whose pg_rewind the lab lacks), and a
// switch-back with a writer running, after which every acknowledged row is on the new primary.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { postgresProcedures } from "../../lib/engines/postgres/procedures";
import { failbackRewind } from "../../lib/engines/postgres/procedures/failback-rewind";
import { failover } from "../../lib/engines/postgres/procedures/failover";
import { streamingSetup } from "../../lib/engines/postgres/procedures/streaming-setup";
import { switchback } from "../../lib/engines/postgres/procedures/switchback";
import { warmStandby } from "../../lib/engines/postgres/procedures/warm-standby";
import type { Procedure } from "../../lib/runs/model";
import { compilePlan, type PlanContext } from "../../lib/runs/plan";
import { PG11, postgresCluster, type EstateCluster, type EstateHost, type PgRelease } from "../estate/definition";
import { labUserName, sharedRoot } from "../hosts/paths";
import { ensureLabStateDir } from "../hosts/state-dir";
import { ensureLabUser } from "../hosts/users";
import { startLabHosts, stopLabHosts } from "../hosts/hosts";
import { repoRoot } from "../hosts/paths";
import { runCommand } from "../hosts/run-command";
import { runPlan, type LocalHost, type PlanOutcome } from "./plan-runner";
import { downPair, killServer, query, upPair } from "./server";

const SECRET = "it-replication-secret:with\\odd'chars";
const CREDENTIAL = "cred-replication";
const PG15: PgRelease = { major: "15", bin: "/usr/lib/postgresql/15/bin" };

type Pair = { cluster: EstateCluster; hosts: EstateHost[]; context: PlanContext; local: Record<string, LocalHost> };

async function makePair(name: string, first: number, hostNames: [string, string], release: PgRelease): Promise<Pair> {
  const built = postgresCluster({ profilePath: "/dev/null", timeScale: 1 }, name, hostNames.map((h, i) => ({ name: h, address: `127.0.0.${first + i}` })), "bare", release);
  await ensureLabStateDir(`${name}.homes`);
  for (const h of built.hosts) {
    const home = path.join(sharedRoot, "homes", h.name);
    await ensureLabUser(labUserName(h.name), home);
    // Lab homes outlive the lab's sshd host keys (a new checkout at the same path makes new ones):
    // a host key remembered by an earlier run's WAL shipping would be refused as changed.
    await rm(path.join(home, ".ssh", "keel_known_hosts"), { force: true });
  }
  // A previous run's servers and data: stopped and removed, so every run starts from a bare pair.
  await downPair(built.cluster.postgres);
  for (const s of built.cluster.postgres) await rm(s.dir, { recursive: true, force: true });
  const up = await upPair(built.cluster.postgres, "unused");
  if (!up.ok) throw new Error(up.error);
  return {
    cluster: built.cluster,
    hosts: built.hosts,
    context: {
      engine: "POSTGRESQL",
      version: built.cluster.version,
      settings: built.cluster.settings,
      nodes: built.cluster.nodes.map((n) => ({ name: n.name, type: n.type, role: n.role, group: null, hostName: n.host, hostAddress: built.hosts.find((h) => h.name === n.host)?.address ?? "" })),
    },
    local: Object.fromEntries(built.hosts.map((h) => [h.name, { user: labUserName(h.name), env: h.env }])),
  };
}

async function run(pair: Pair, procedure: Procedure, params: Record<string, unknown>, o: { stopBefore?: string } = {}): Promise<PlanOutcome> {
  const compiled = compilePlan(procedure, params, pair.context);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return runPlan(procedure, compiled.plan, { hosts: pair.local, secrets: { [CREDENTIAL]: SECRET }, maxWaitMs: 30_000, ...o });
}

/** Step timings, printed with the test output (what a reader of the run log sees). */
function report(what: string, outcome: PlanOutcome): void {
  console.log(`${what}: ${outcome.steps.map((s) => `${s.key} ${s.ms}ms`).join(", ")}`);
}

/** RTO: from the promote step's start to the end of the read-write check, whose txid_current() is the first write. */
function rto(outcome: PlanOutcome): number {
  const promote = outcome.steps.find((s) => s.key === "promote");
  const write = outcome.steps.find((s) => s.key === "read-write");
  if (!promote || !write) throw new Error("no promote / read-write step");
  return write.startedAt + write.ms - promote.startedAt;
}

function expectOk(outcome: PlanOutcome): void {
  if (!outcome.ok) throw new Error(`${outcome.failedAt}: ${outcome.reason}`);
}

const server = (pair: Pair, i: 0 | 1) => pair.cluster.postgres[i]!;
const node = (pair: Pair, i: 0 | 1) => pair.cluster.nodes[i]!.name;

async function rows(pair: Pair, i: 0 | 1): Promise<number> {
  const r = await query<{ n: string }>(server(pair, i), "SELECT count(*) AS n FROM keel_it");
  if (!r.ok) throw new Error(r.error);
  return Number(r.value[0]?.n);
}

async function insert(pair: Pair, i: 0 | 1, from: number, to: number): Promise<void> {
  const r = await query(server(pair, i), "INSERT INTO keel_it SELECT generate_series($1::int, $2::int)", [from, to]);
  if (!r.ok) throw new Error(r.error);
}

/** Commits numbered rows one by one until told to stop or the server refuses; returns the acknowledged ids. */
function writer(pair: Pair, i: 0 | 1, start: number): { stop: () => Promise<number[]> } {
  const acknowledged: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let id = start; running; id++) {
      const r = await query(server(pair, i), "INSERT INTO keel_it VALUES ($1)", [id]);
      if (!r.ok) break;
      acknowledged.push(id);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return acknowledged;
    },
  };
}

async function missing(pair: Pair, i: 0 | 1, ids: readonly number[]): Promise<number[]> {
  const r = await query<{ id: number }>(server(pair, i), "SELECT id FROM keel_it WHERE id = ANY($1::int[])", [ids]);
  if (!r.ok) throw new Error(r.error);
  const present = new Set(r.value.map((x) => x.id));
  return ids.filter((id) => !present.has(id));
}

async function processGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} still exists after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pairs: Pair[] = [];
// scp for WAL shipping needs a real sshd on the standby's host: 127.0.0.234:2234.
const sshRunDir = path.join(repoRoot, "lab", ".run", "test-pg-procedures");
afterAll(async () => {
  for (const p of pairs) await downPair(p.cluster.postgres);
  await stopLabHosts(sshRunDir);
});

describe("PostgreSQL 15 procedures on real servers", () => {
  let pair: Pair;

  it("set-up: the missing pg_hba entry is caught before pg_basebackup, with the fix; then the pair streams", async () => {
    pair = await makePair("it-pg15", 233, ["itpg15a", "itpg15b"], PG15);
    pairs.push(pair);
    const base = { major: "15", primary: node(pair, 0), standby: node(pair, 1), passwordCredential: CREDENTIAL };
    // Every loopback connection leaves from 127.0.0.1: without that source the standby's host has no entry.
    const refused = await run(pair, streamingSetup, base);
    expect(refused).toMatchObject({ ok: false, failedAt: "replication-connection" });
    if (!refused.ok) expect(refused.reason).toMatch(/no pg_hba\.conf entry for replication connection from host "127\.0\.0\.1", user "replicator".* — add "host replication replicator/);
    expectOk(await run(pair, streamingSetup, { ...base, hbaSources: ["127.0.0.1/32"] }));
    const standby = await query<{ status: string }>(server(pair, 1), "SELECT status FROM pg_stat_wal_receiver");
    expect(standby.ok && standby.value[0]?.status).toBe("streaming");
    const r = await query(server(pair, 0), "CREATE TABLE keel_it (id int PRIMARY KEY)");
    expect(r.ok).toBe(true);
  }, 60_000);

  it("WAL shipping: scp with a Keel-provisioned key to the standby's host, archived, arrived, restored beside streaming", async () => {
    const standbyHost = pair.hosts[1]!;
    const sshd = await startLabHosts([{ name: standbyHost.name, address: standbyHost.address, port: 2234, env: standbyHost.env }], { runDir: sshRunDir });
    const keyDir = path.join(sshRunDir, "wal-key");
    await rm(keyDir, { recursive: true, force: true });
    await runCommand("mkdir", ["-p", keyDir]);
    const gen = await runCommand("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "keel-wal", "-f", path.join(keyDir, "id")]);
    expect(gen.code).toBe(0);
    const { readFile } = await import("node:fs/promises");
    const privateKey = (await readFile(path.join(keyDir, "id"), "utf8")).trim();
    const archiveDir = path.join(server(pair, 1).dir, "archive");
    const compiled = compilePlan(
      warmStandby,
      {
        major: "15",
        primary: node(pair, 0),
        standby: node(pair, 1),
        archiveDir,
        standbyAccount: labUserName(standbyHost.name),
        sshPort: 2234,
        keyCredential: "cred-wal-key",
        // What Keel's inventory holds for the standby's host: its sshd's pinned key.
        hostKeys: { [standbyHost.name]: sshd.hosts[0]!.hostKeyFingerprint },
      },
      pair.context,
    );
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    expectOk(await runPlan(warmStandby, compiled.plan, { hosts: pair.local, secrets: { "cred-wal-key": privateKey }, maxWaitMs: 30_000 }));
    const archived = await query<{ n: string }>(server(pair, 0), "SELECT archived_count::text AS n FROM pg_stat_archiver");
    expect(archived.ok && Number(archived.value[0]?.n)).toBeGreaterThan(0);
    const restore = await query<{ v: string }>(server(pair, 1), "SELECT current_setting('restore_command') AS v");
    expect(restore.ok && restore.value[0]?.v).toBe(`cp ${archiveDir}/%f %p`);

    // A key other than the one Keel pinned for the standby's host is never trusted for WAL shipping.
    const wrong = compilePlan(warmStandby, { ...compiled.plan.params, hostKeys: { [standbyHost.name]: `SHA256:${"A".repeat(43)}` } }, pair.context);
    if (!wrong.ok) throw new Error(JSON.stringify(wrong.errors));
    const refused = await runPlan(warmStandby, wrong.plan, { hosts: pair.local, secrets: { "cred-wal-key": privateKey }, maxWaitMs: 30_000 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.failedAt).toBe("pin-host-key");
      expect(refused.reason).toContain("does not match the key Keel pinned");
    }
  }, 60_000);

  it("fail-over after kill -9 of the primary: attested, promoted on timeline 2, no replicated row lost", async () => {
    await insert(pair, 0, 1, 100);
    // What the standby holds is what survives an unreachable primary: wait until it has all 100.
    const deadline = Date.now() + 10_000;
    while ((await rows(pair, 1).catch(() => 0)) < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const killed = killServer(server(pair, 0));
    if (!killed.ok) throw new Error(killed.error);
    // This machine's PID 1 reaps orphans late, and PostgreSQL refuses to start while the dead
    // postmaster's pid still exists (as a zombie): wait until the kernel has let it go, as it would at once elsewhere.
    await processGone(killed.value, 60_000);
    const outcome = await run(pair, failover, { major: "15", standby: node(pair, 1), oldPrimary: node(pair, 0), oldPrimaryReachable: false });
    expectOk(outcome);
    report("15 fail-over", outcome);
    console.log(`15 fail-over: RTO ${rto(outcome)} ms`);
    expect(outcome.steps.map((s) => s.key)).toEqual(["standby-version", "unreachable[0]/attest-down", "replayed", "promote", "promoted", "read-write", "archive-command"]);
    expect(await rows(pair, 1)).toBe(100);
    await insert(pair, 1, 101, 150);
  }, 30_000);

  it("fail-back with pg_rewind of the crashed old primary (started and stopped cleanly first)", async () => {
    const outcome = await run(pair, failbackRewind, { major: "15", target: node(pair, 0), source: node(pair, 1), passwordCredential: CREDENTIAL, targetCrashed: true });
    expectOk(outcome);
    report("15 fail-back", outcome);
    expect(outcome.steps.map((s) => s.key)).toContain("rewind[0]/pg-rewind");
    expect(outcome.steps.find((s) => s.key === "rewind[0]/pg-rewind")?.output?.stderr).toMatch(/servers diverged at WAL location .* on timeline 1/);
    expect(await rows(pair, 0)).toBe(150);
  }, 40_000);

  it("switch-back with a writer running: every acknowledged row is on the new primary and the old one follows", async () => {
    const w = writer(pair, 1, 1000);
    await new Promise((r) => setTimeout(r, 200));
    const outcome = await run(pair, switchback, { major: "15", primary: node(pair, 1), standby: node(pair, 0) });
    const acknowledged = await w.stop();
    expectOk(outcome);
    report("15 switch-back", outcome);
    console.log(`15 switch-back: RTO ${rto(outcome)} ms, ${acknowledged.length} acknowledged rows, ${(await missing(pair, 0, acknowledged)).length} lost`);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(await missing(pair, 0, acknowledged)).toEqual([]);
    await insert(pair, 0, 5000, 5010);
    const standby = await query<{ status: string }>(server(pair, 1), "SELECT status FROM pg_stat_wal_receiver");
    expect(standby.ok && standby.value[0]?.status).toBe("streaming");
  }, 40_000);
});

describe("PostgreSQL 11 (recovery.conf era) procedures on real servers", () => {
  let pair: Pair;

  it("set-up writes recovery.conf; the standby streams", async () => {
    pair = await makePair("it-pg11", 235, ["itpg11a", "itpg11b"], PG11);
    pairs.push(pair);
    const outcome = await run(pair, streamingSetup, {
      major: "11",
      primary: node(pair, 0),
      standby: node(pair, 1),
      passwordCredential: CREDENTIAL,
      hbaSources: ["127.0.0.1/32"],
      triggerFile: path.join(server(pair, 1).dir, "promote.trigger"),
    });
    expectOk(outcome);
    expect(outcome.steps.find((s) => s.key === "standby-config")).toBeDefined();
    const v = await query<{ v: string; rec: boolean }>(server(pair, 1), "SELECT current_setting('server_version_num') AS v, pg_is_in_recovery() AS rec");
    expect(v.ok && v.value[0]).toEqual({ v: expect.stringMatching(/^110\d{3}$/), rec: true });
    expect((await query(server(pair, 0), "CREATE TABLE keel_it (id int PRIMARY KEY)")).ok).toBe(true);
    await insert(pair, 0, 1, 50);
  }, 60_000);

  it("fail-over by the trigger file after a clean fence", async () => {
    const outcome = await run(pair, failover, {
      major: "11",
      standby: node(pair, 1),
      oldPrimary: node(pair, 0),
      method: "trigger-file",
      triggerFile: path.join(server(pair, 1).dir, "promote.trigger"),
    });
    expectOk(outcome);
    report("11 fail-over", outcome);
    console.log(`11 fail-over (trigger file): RTO ${rto(outcome)} ms`);
    expect(await rows(pair, 1)).toBe(50);
  }, 30_000);

  it("fail-back: pg_rewind is refused before it starts (no PostgreSQL 11 pg_rewind/pg_controldata), the re-clone works", async () => {
    const base = { major: "11", target: node(pair, 0), source: node(pair, 1), passwordCredential: CREDENTIAL };
    const refused = await run(pair, failbackRewind, base, { stopBefore: "rewind[0]/pg-rewind" });
    expect(refused).toMatchObject({ ok: false, failedAt: "rewind[0]/rewindable" });
    if (!refused.ok) expect(refused.reason).toMatch(/pg_controldata is not in this host's PGBIN/);
    expectOk(await run(pair, failbackRewind, { ...base, method: "re-clone" }));
    expect(await rows(pair, 0)).toBe(50);
  }, 40_000);

  it("switch-back with pg_ctl promote loses no acknowledged row", async () => {
    const w = writer(pair, 1, 1000);
    await new Promise((r) => setTimeout(r, 200));
    const outcome = await run(pair, switchback, { major: "11", primary: node(pair, 1), standby: node(pair, 0), method: "pg_ctl" });
    const acknowledged = await w.stop();
    expectOk(outcome);
    console.log(`11 switch-back: RTO ${rto(outcome)} ms, ${acknowledged.length} acknowledged rows, ${(await missing(pair, 0, acknowledged)).length} lost`);
    expect(await missing(pair, 0, acknowledged)).toEqual([]);
  }, 40_000);
});

it("every procedure is in the catalog list", () => {
  expect(postgresProcedures.map((p) => p.id)).toEqual(["postgres.streaming-setup", "postgres.warm-standby", "postgres.failover", "postgres.failback-rewind", "postgres.switchback"]);
});
