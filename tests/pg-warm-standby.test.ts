// Seed 004 §2/§3.2 through Keel's run engine: WAL shipping (postgres.warm-standby) previewed, started,
// approved by a second DBA and executed by the engine (advanceRun, the worker's own code) over real SSH
// to real sshd lab hosts, on real PostgreSQL 15 and 11 bare pairs. The WAL shipping key is a sealed SSH_KEY
// credential; the primary's archive_command really scps each segment to the standby's host over its sshd.
//
// Lab: 127.0.0.243–246:2243 (PostgreSQL 15 pair pgw15a/b, PostgreSQL 11 pair pgw11a/b); run dir lab/.run/test-pg-warm-standby.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { composeEstate, PG11, postgresCluster, type EstateDefinition, type PgServer } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { labUserName, sharedRoot } from "../lab/hosts/paths";
import { seedLabInventory } from "../lab/seed-inventory";
import { db } from "@/lib/db";
import { defaultPool } from "@/lib/ssh";
import { useTestDatabase } from "./db";
import { ed25519PrivateKey, makeUser } from "./factories";
import { expectSucceeded, runToEnd, sealedCredential, sql, timings, until } from "./run-driver";
import { inProcessWorker } from "./runs-lab";

useTestDatabase();

const RUN_DIR = path.join(process.cwd(), "lab", ".run", "test-pg-warm-standby");
const SSH_PORT = 2243;
const SECRET = "pg-wal-secret:with\\odd'chars";

type User = Awaited<ReturnType<typeof makeUser>>;
type Worker = Awaited<ReturnType<typeof inProcessWorker>>;
let definition: EstateDefinition;
let worker: Worker;
let dba: User;
let dba2: User;
type Pair = { clusterId: string; servers: [PgServer, PgServer]; nodes: [string, string] };
const pairs = new Map<string, Pair>();
let passwordCredential = "";
let keyCredential = "";

beforeAll(async () => {
  definition = composeEstate({ name: "test-pg-warm-standby", runDir: RUN_DIR, port: SSH_PORT, timeScale: 1 }, (ctx) => [
    postgresCluster(ctx, "pgw15", [{ name: "pgw15a", address: "127.0.0.243" }, { name: "pgw15b", address: "127.0.0.244" }], "bare"),
    // The recovery.conf era: restore_command and archive_cleanup_command live in recovery.conf.
    postgresCluster(ctx, "pgw11", [{ name: "pgw11a", address: "127.0.0.245" }, { name: "pgw11b", address: "127.0.0.246" }], "bare", PG11),
  ]);
  const lab = await upEstate(definition, { fresh: true, build: false });
  // Lab homes outlive the lab's sshd host keys (a new checkout at the same path makes new ones): a host
  // key an earlier run's WAL shipping remembered would be refused as changed.
  for (const h of definition.hosts) await rm(path.join(sharedRoot, "homes", h.name, ".ssh", "keel_known_hosts"), { force: true });
  await seedLabInventory({ definition, lab });
  for (const name of ["pgw15", "pgw11"]) {
    const cluster = definition.clusters.find((c) => c.name === name)!;
    pairs.set(name, {
      clusterId: (await db.cluster.findUniqueOrThrow({ where: { name } })).id,
      servers: [cluster.postgres[0]!, cluster.postgres[1]!],
      nodes: [cluster.nodes[0]!.name, cluster.nodes[1]!.name],
    });
  }
  worker = await inProcessWorker();
  dba = await makeUser("DBA");
  dba2 = await makeUser("DBA");
  passwordCredential = await sealedCredential("pg-wal-replication", "PASSWORD", SECRET);
  keyCredential = await sealedCredential("pg-wal-shipping-key", "SSH_KEY", ed25519PrivateKey());
}, 120_000);

afterAll(async () => {
  await defaultPool().closeAll();
  await downEstate(RUN_DIR);
}, 120_000);

/** Streaming set-up, then WAL shipping beside it; returns the standby and its archive directory. */
async function shipWal(name: string): Promise<{ primary: PgServer; standby: PgServer; archiveDir: string }> {
  const pair = pairs.get(name)!;
  const [primary, standby] = pair.servers;
  const as = { starter: dba, approver: dba2, worker, clusterId: pair.clusterId };
  const setup = await runToEnd(as, "postgres.streaming-setup", { primary: pair.nodes[0], standby: pair.nodes[1], passwordCredential, hbaSources: ["127.0.0.1/32"] });
  expectSucceeded(setup);
  console.log(`${name} set-up: ${timings(setup)}`);

  const archiveDir = path.join(standby.dir, "archive");
  const o = await runToEnd(as, "postgres.warm-standby", {
    primary: pair.nodes[0],
    standby: pair.nodes[1],
    archiveDir,
    standbyAccount: labUserName(standby.host),
    sshPort: SSH_PORT,
    keyCredential,
  });
  expectSucceeded(o);
  console.log(`${name} warm standby: ${timings(o)}`);
  expect(o.steps.find((s) => s.key === "approve-restart")?.decidedBy).toBe(dba2.email);

  // The segments are really on the standby's host, in the archive directory (as Keel's engine saw them too).
  const wal = await until("WAL segments in the archive directory", 10_000, async () => {
    const files = (await readdir(archiveDir)).filter((f) => /^[0-9A-F]{24}$/.test(f));
    return files.length > 0 ? files : null;
  });
  const [archiver] = await sql<{ archived: string; failed: string; last: string | null; failing: boolean }>(
    primary,
    "SELECT archived_count::text AS archived, failed_count::text AS failed, last_archived_wal AS last, COALESCE(last_failed_time > COALESCE(last_archived_time, '-infinity'), false) AS failing FROM pg_stat_archiver",
  );
  console.log(`${name} pg_stat_archiver: ${JSON.stringify(archiver)}; archive holds ${wal.join(", ")}`);
  expect(Number(archiver!.archived)).toBeGreaterThan(0);
  expect(archiver!.failed).toBe("0");
  expect(archiver!.failing).toBe(false);
  expect(wal).toContain(archiver!.last);
  const [recovering] = await sql<{ rec: boolean }>(standby, "SELECT pg_is_in_recovery() AS rec");
  expect(recovering?.rec).toBe(true);
  return { primary, standby, archiveDir };
}

describe("WAL shipping through the run engine over SSH", () => {
  it("PostgreSQL 15: archive_command scps WAL to the standby's host with a sealed key; archived, arrived, restored beside streaming", async () => {
    const { standby, archiveDir } = await shipWal("pgw15");
    const [restore] = await sql<{ v: string }>(standby, "SELECT current_setting('restore_command') AS v");
    expect(restore?.v).toBe(`cp ${archiveDir}/%f %p`);
  }, 90_000);

  it("PostgreSQL 11: the same, with restore_command written into recovery.conf", async () => {
    const { standby, archiveDir } = await shipWal("pgw11");
    const recoveryConf = await readFile(path.join(standby.pgdata, "recovery.conf"), "utf8");
    expect(recoveryConf).toContain(`restore_command = 'cp ${archiveDir}/%f %p'`);
  }, 90_000);
});
