// The lab estate as data: which lab host runs what, with each simulated cluster's topology.json and
// each host's environment. `up` (lab/up.ts) makes it real; seed-inventory.ts mirrors it into Keel.
import path from "node:path";
import { z } from "zod";
import { defaultRunDir, labUserName, repoRoot, sharedRoot } from "../hosts/paths";

export const PG_BIN = "/usr/lib/postgresql/15/bin";
export const PG_PORT = 5432;

const engine = z.enum(["MACHBASE", "GBASE", "TIBERO", "PROSYNC", "POSTGRESQL"]);

export const estateHostSchema = z.object({
  name: z.string(),
  address: z.string(),
  cluster: z.string(),
  env: z.record(z.string(), z.string()),
  /** What runs there, for the summary table. */
  runs: z.string(),
});
export type EstateHost = z.infer<typeof estateHostSchema>;

export const estateNodeSchema = z.object({
  name: z.string(),
  type: z.string(),
  role: z.string(),
  group: z.string().optional(),
  host: z.string(),
});
export type EstateNode = z.infer<typeof estateNodeSchema>;

export const pgServerSchema = z.object({
  host: z.string(),
  address: z.string(),
  user: z.string(),
  /** Everything of this server lives here, owned by its lab user: pgdata/, run/ (socket), log. */
  dir: z.string(),
  pgdata: z.string(),
  socketDir: z.string(),
  logFile: z.string(),
  /** primary: initdb + start; standby: pg_basebackup -R from `upstream`; empty: binaries + empty PGDATA only. */
  mode: z.enum(["primary", "standby", "empty"]),
  upstream: z.string().optional(),
  slot: z.string().optional(),
  /** The server's binaries (initdb, pg_ctl, postgres, and the client tools procedures run). */
  bin: z.string().default(PG_BIN),
  /** Its major version: "15", or "11" for the recovery.conf era. */
  major: z.string().default("15"),
});
export type PgServer = z.infer<typeof pgServerSchema>;

export const estateClusterSchema = z.object({
  name: z.string(),
  engine,
  version: z.string(),
  description: z.string(),
  settings: z.record(z.string(), z.union([z.string(), z.number()])),
  /** KEEL_LAB_STATE of a simulated cluster (null for PostgreSQL). */
  stateDir: z.string().nullable(),
  /** Engine homes: `<homesDir>/<host>/…`, each owned by its host's lab user, group keel-lab. */
  homesDir: z.string(),
  topology: z.unknown().nullable(),
  nodes: z.array(estateNodeSchema),
  postgres: z.array(pgServerSchema).default([]),
});
export type EstateCluster = z.infer<typeof estateClusterSchema>;

export const estateDefinitionSchema = z.object({
  name: z.string(),
  runDir: z.string(),
  port: z.number().int(),
  timeScale: z.number().nonnegative(),
  /** Sourced from every lab user's ~/.bashrc: umask 002 (see provision.ts for why). */
  profilePath: z.string(),
  replicationPassword: z.string(),
  hosts: z.array(estateHostSchema),
  clusters: z.array(estateClusterSchema),
});
export type EstateDefinition = z.infer<typeof estateDefinitionSchema>;

// ---- building blocks -------------------------------------------------------------------------------

type Ctx = { profilePath: string; timeScale: number };
type HostRef = { name: string; address: string };
type Built = { cluster: EstateCluster; hosts: EstateHost[] };

const stateDirOf = (cluster: string) => path.join(sharedRoot, "state", cluster);
const homesDirOf = (cluster: string) => path.join(sharedRoot, "state", `${cluster}.homes`);

function baseEnv(ctx: Ctx, host: HostRef, stateDir: string | null): Record<string, string> {
  return {
    KEEL_LAB_HOST: host.address,
    KEEL_LAB_TIME_SCALE: String(ctx.timeScale),
    ...(stateDir ? { KEEL_LAB_STATE: stateDir } : {}),
  };
}

function need<T>(list: readonly T[], count: number, what: string): void {
  if (list.length < count) throw new Error(`${what} needs ${count} hosts, got ${list.length}`);
}

/** Seed 000's shape: 2 coordinators, a deployer, 2 brokers, warehouses in group1 and group2. */
export function machbaseCluster(ctx: Ctx, name: string, hosts: readonly HostRef[]): Built {
  need(hosts, 2, "machbase");
  const stateDir = stateDirOf(name);
  const homesDir = homesDirOf(name);
  const at = (i: number) => hosts[i % hosts.length]!;
  const home = (h: HostRef) => path.join(homesDir, h.name, "machbase");
  // Spread over the hosts given: with 4 hosts mach1 = coordinator+deployer, mach2 = coordinator+broker,
  // mach3/mach4 = broker + one warehouse of each group; with 2 hosts the same roles pile up.
  const layout: { type: string; host: HostRef; port: number; role: string; group?: string }[] = [
    { type: "coordinator", host: at(0), port: 5101, role: "primary" },
    { type: "coordinator", host: at(1), port: 5101, role: "normal" },
    { type: "deployer", host: at(0), port: 5201, role: "normal" },
    { type: "broker", host: at(1), port: 5301, role: "leader" },
    { type: "broker", host: at(2), port: 5302, role: "normal" },
    { type: "warehouse", host: at(2), port: 5401, role: "normal", group: "group1" },
    { type: "warehouse", host: at(3), port: 5402, role: "normal", group: "group1" },
    { type: "warehouse", host: at(2), port: 5501, role: "normal", group: "group2" },
    { type: "warehouse", host: at(3), port: 5502, role: "normal", group: "group2" },
  ];
  const nodes: EstateNode[] = layout.map((n) => ({
    name: `${n.host.address}:${n.port}`,
    type: n.type,
    role: n.role,
    host: n.host.name,
    ...(n.group ? { group: n.group } : {}),
  }));
  const topology = {
    release: "321a012d05.develop",
    packageName: "machbase",
    snapshotIntervalSec: 60,
    nodes: layout.map((n) => ({
      type: n.type,
      name: `${n.host.address}:${n.port}`,
      ...(n.type === "coordinator" || n.type === "broker" ? { role: n.role } : {}),
      ...(n.group ? { group: n.group, homePath: path.join(home(n.host), `wh${n.port}`) } : {}),
    })),
  };
  const estateHosts = hosts.map((h) => ({
    name: h.name,
    address: h.address,
    cluster: name,
    env: { ...baseEnv(ctx, h, stateDir), MACH_COORDINATOR_HOME: home(h), MACH_DEPLOYER_HOME: home(h) },
    runs: nodes.filter((n) => n.host === h.name).map((n) => `${n.type} :${n.name.split(":")[1]}${n.group ? ` (${n.group})` : ""}`).join(", "),
  }));
  return {
    hosts: estateHosts,
    cluster: {
      name,
      engine: "MACHBASE",
      version: "6.5",
      description: "Lab: simulated Machbase Cluster Edition (seed 000's shape)",
      settings: { MACH_COORDINATOR_HOME: home(at(0)), MACH_DEPLOYER_HOME: home(at(0)) },
      stateDir,
      homesDir,
      topology,
      nodes,
      postgres: [],
    },
  };
}

/** GBase 8a V953: one coordinator (with its gcware) and one data node per host, as in seed 002. */
export function gbaseCluster(ctx: Ctx, name: string, hosts: readonly HostRef[]): Built {
  need(hosts, 1, "gbase");
  const stateDir = stateDirOf(name);
  const homesDir = homesDirOf(name);
  const base = (h: HostRef) => path.join(homesDir, h.name, "gcware");
  const cluster = (h: HostRef) => path.join(homesDir, h.name, "gcluster");
  const topology = {
    version: "V953",
    virtualClusterMode: "NORMAL",
    initialServices: "open",
    initialSnapshot: { term: 142, index: 37975 },
    coordinators: hosts.map((h, i) => ({ name: `coordinator${i + 1}`, ip: h.address, gcwareBase: base(h) })),
    dataNodes: hosts.map((h, i) => ({ name: `node${i + 1}`, ip: h.address, distributionId: 6 })),
  };
  const nodes: EstateNode[] = hosts.flatMap((h, i) => [
    { name: `coordinator${i + 1}`, type: "coordinator", role: "", host: h.name },
    { name: `node${i + 1}`, type: "data", role: "", host: h.name },
  ]);
  return {
    hosts: hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      cluster: name,
      env: { ...baseEnv(ctx, h, stateDir), GCWARE_BASE: base(h), GCLUSTER_BASE: cluster(h) },
      runs: `coordinator${i + 1} + gcware, data node${i + 1}`,
    })),
    cluster: {
      name,
      engine: "GBASE",
      version: "V953",
      description: "Lab: simulated GBase 8a V953 (gcware on every coordinator)",
      settings: { GCWARE_BASE: base(hosts[0]!), GCLUSTER_BASE: cluster(hosts[0]!) },
      stateDir,
      homesDir,
      topology,
      nodes,
      postgres: [],
    },
  };
}

type TiberoNodeNames = (i: number) => { name: string; sid: string; cmName: string };

function tiberoTopologyCluster(cmCluster: string, service: string, hosts: readonly HostRef[], names: TiberoNodeNames) {
  return {
    name: cmCluster,
    service,
    nodes: hosts.map((h, i) => ({ ...names(i), host: h.address, network: { name: `inc${i + 1}`, address: h.address, port: 8640 + 30 * i } })),
  };
}

/** How `up` leaves a Tibero TAC: `created` (default) = the database exists and every instance runs; `none` = tips written, no CM or database yet. */
export type TiberoDatabase = "created" | "none";

/**
 * Tibero TAC with Tibero CM, one instance per host; `up` creates the database (seed 001) so it runs —
 * unless `database: "none"`: then the tips are in place and nothing runs yet (where seed 001 §15.5 starts,
 * for the create-database procedure). The topology's `initialDatabase: false` tells provision.ts so.
 */
export function tiberoCluster(ctx: Ctx, name: string, hosts: readonly HostRef[], o: { database?: TiberoDatabase } = {}): Built {
  need(hosts, 2, "tibero");
  const stateDir = stateDirOf(name);
  const homesDir = homesDirOf(name);
  const names: TiberoNodeNames = (i) => ({ name: `tac${i + 1}`, sid: `tac${i + 1}`, cmName: `cm_tac${i + 1}` });
  const tbHome = (h: HostRef) => path.join(homesDir, h.name, "tibero7");
  const fresh = o.database === "none";
  const topology = { clusters: [tiberoTopologyCluster("cls_tac", "tac", hosts, names)], ...(fresh ? { initialDatabase: false } : {}) };
  return {
    hosts: hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      cluster: name,
      env: { ...baseEnv(ctx, h, stateDir), TB_HOME: tbHome(h), TB_SID: names(i).sid },
      runs: `instance ${names(i).sid}, CM ${names(i).cmName}`,
    })),
    cluster: {
      name,
      engine: "TIBERO",
      version: "7",
      description: fresh ? "Lab: simulated Tibero Active Cluster with Tibero CM, no database yet (CM down)" : "Lab: simulated Tibero Active Cluster with Tibero CM",
      settings: { TB_HOME: tbHome(hosts[0]!), TB_SID: names(0).sid },
      stateDir,
      homesDir,
      topology,
      nodes: hosts.flatMap((h, i) => [
        { name: names(i).sid, type: "instance", role: "", host: h.name },
        { name: names(i).cmName, type: "cm", role: "", host: h.name },
      ]),
      postgres: [],
    },
  };
}

/**
 * ProSync 4 on its own two-node Tibero CM cluster (seed 003's source side): agent1 on the first host,
 * agent2 on the second, CM group CM1. Node names tibero1/tibero2 are the ones lab/sim/prosync's set-up
 * steps know (AGENT_OF_NODE).
 */
export function prosyncCluster(ctx: Ctx, name: string, hosts: readonly HostRef[]): Built {
  need(hosts, 2, "prosync");
  const pair = hosts.slice(0, 2);
  const stateDir = stateDirOf(name);
  const homesDir = homesDirOf(name);
  const names: TiberoNodeNames = (i) => ({ name: `tibero${i + 1}`, sid: `tibero${i + 1}`, cmName: `cm_tibero${i + 1}` });
  const tbHome = (h: HostRef) => path.join(homesDir, h.name, "tibero7");
  const prsHome = (h: HostRef) => path.join(homesDir, h.name, "prosync");
  const topology = {
    clusters: [tiberoTopologyCluster("cls_prosync", "prosync_src", pair, names)],
    prosyncInstance: { instanceId: "prosync", ext: [["agent1", "agent2"]], apply: ["agent2", "agent1"], llob: ["agent1", "agent2"] },
  };
  return {
    hosts: pair.map((h, i) => ({
      name: h.name,
      address: h.address,
      cluster: name,
      env: { ...baseEnv(ctx, h, stateDir), TB_HOME: tbHome(h), TB_SID: names(i).sid, PRS_HOME: prsHome(h) },
      runs: `agent${i + 1} (CM1), CM ${names(i).cmName}, instance ${names(i).sid}`,
    })),
    cluster: {
      name,
      engine: "PROSYNC",
      version: "4",
      description: "Lab: simulated ProSync 4 on Tibero CM (2 agents)",
      settings: { PRS_HOME: prsHome(pair[0]!), TB_HOME: tbHome(pair[0]!), TB_SID: names(0).sid },
      stateDir,
      homesDir,
      topology,
      nodes: pair.flatMap((h, i) => [
        { name: `agent${i + 1}`, type: "agent", role: "", host: h.name },
        { name: names(i).cmName, type: "cm", role: "", host: h.name },
      ]),
      postgres: [],
    },
  };
}

export type PgRelease = { major: string; bin: string };
const PG15: PgRelease = { major: "15", bin: PG_BIN };

/** A real PostgreSQL pair (15 unless told): `streaming` = primary + standby replicating; `bare` = primary + empty host. */
export function postgresCluster(ctx: Ctx, name: string, hosts: readonly HostRef[], kind: "streaming" | "bare", release: PgRelease = PG15): Built {
  need(hosts, 2, "postgres");
  const [first, second] = [hosts[0]!, hosts[1]!];
  const homesDir = homesDirOf(name);
  const server = (h: HostRef, mode: PgServer["mode"]): PgServer => {
    const dir = path.join(homesDir, h.name);
    return {
      host: h.name,
      address: h.address,
      user: labUserName(h.name),
      dir,
      pgdata: path.join(dir, "pgdata"),
      socketDir: path.join(dir, "run"),
      logFile: path.join(dir, "postgresql.log"),
      mode,
      bin: release.bin,
      major: release.major,
      ...(mode === "standby" ? { upstream: first.name, slot: `standby_${h.name.replaceAll("-", "_")}` } : {}),
    };
  };
  const servers = [server(first, "primary"), server(second, kind === "streaming" ? "standby" : "empty")];
  return {
    hosts: servers.map((s) => ({
      name: s.host,
      address: s.address,
      cluster: name,
      env: { ...baseEnv(ctx, { name: s.host, address: s.address }, null), PGDATA: s.pgdata, PGPORT: String(PG_PORT), PGHOST: s.socketDir, PGUSER: "postgres", PGBIN: release.bin },
      runs: s.mode === "primary" ? `PostgreSQL ${release.major} primary` : s.mode === "standby" ? `PostgreSQL ${release.major} standby of ${first.name}` : `PostgreSQL ${release.major} binaries, empty PGDATA`,
    })),
    cluster: {
      name,
      engine: "POSTGRESQL",
      version: release.major,
      description:
        kind === "streaming" ? `Lab: real PostgreSQL ${release.major}, primary + streaming standby` : `Lab: real PostgreSQL ${release.major} bare pair (for the set-up procedure)`,
      // HOST_CONF: the per-host include (lab/postgres/config.ts) procedures rewrite after a clone or rewind.
      settings: { PGDATA: servers[0]!.pgdata, PGPORT: PG_PORT, PGBIN: release.bin, HOST_CONF: "keel-host.conf" },
      stateDir: null,
      homesDir,
      topology: null,
      // The bare pair's second host is a node too: its desired role is standby (what the set-up
      // procedure will make it); until then its state shows it is not set up.
      nodes: servers.map((s) => ({ name: `${s.address}:${PG_PORT}`, type: "server", role: s.mode === "primary" ? "primary" : "standby", host: s.host })),
      postgres: servers,
    },
  };
}

// ---- PostgreSQL 11 (the recovery.conf era) ------------------------------------------------------------
// Real PostgreSQL 11 server binaries (initdb, pg_ctl, postgres) come from the npm package aliased as
// pg-embedded-11; it has no client tools, so the lab assembles one bin directory: the 11 server
// programs plus the 15 client programs that work against an 11 server (psql, pg_basebackup,
// pg_archivecleanup, pg_isready). pg_rewind and pg_controldata are left out on purpose: PostgreSQL 15's
// refuse an 11 data directory (different pg_control layout), and 11's are not in the package.
export const PG11_NATIVE_BIN = path.join(repoRoot, "node_modules", "pg-embedded-11", "native", "bin");
export const PG11_BIN = path.join(sharedRoot, "pg11-bin");
export const PG11_SERVER_TOOLS = ["initdb", "pg_ctl", "postgres"] as const;
export const PG11_CLIENT_TOOLS_FROM_15 = ["psql", "pg_basebackup", "pg_archivecleanup", "pg_isready"] as const;
export const PG11: PgRelease = { major: "11", bin: PG11_BIN };

/** A real PostgreSQL 11 pair: primary + streaming standby (recovery.conf). */
export function pg11Cluster(ctx: Ctx, name: string, hosts: readonly HostRef[], kind: "streaming" | "bare" = "streaming"): Built {
  return postgresCluster(ctx, name, hosts, kind, PG11);
}

// ---- estates ---------------------------------------------------------------------------------------

export type EstateOptions = { name: string; runDir: string; port: number; timeScale: number; replicationPassword?: string };

export function composeEstate(o: EstateOptions, build: (ctx: Ctx) => Built[]): EstateDefinition {
  const ctx: Ctx = { profilePath: path.join(sharedRoot, "lab-profile.sh"), timeScale: o.timeScale };
  const built = build(ctx);
  const estate: EstateDefinition = {
    name: o.name,
    runDir: o.runDir,
    port: o.port,
    timeScale: o.timeScale,
    profilePath: ctx.profilePath,
    replicationPassword: o.replicationPassword ?? "keel-lab-replication",
    hosts: built.flatMap((b) => b.hosts),
    clusters: built.map((b) => b.cluster),
  };
  const seen = new Set<string>();
  for (const h of estate.hosts) {
    for (const key of [`name ${h.name}`, `address ${h.address}`]) {
      if (seen.has(key)) throw new Error(`estate ${o.name}: duplicate host ${key}`);
      seen.add(key);
    }
  }
  return estateDefinitionSchema.parse(estate);
}

const hostsOf = (prefix: string, first: number, count: number, names?: readonly string[]): HostRef[] =>
  Array.from({ length: count }, (_, i) => ({ name: names?.[i] ?? `${prefix}${i + 1}`, address: `127.0.0.${first + i}` }));

/** The demo estate: 17 hosts on 127.0.0.21–37, port 2222. */
export function demoEstate(): EstateDefinition {
  return composeEstate({ name: "demo", runDir: path.join(defaultRunDir, "estate"), port: 2222, timeScale: 1 }, (ctx) => [
    machbaseCluster(ctx, "machbase-lab", hostsOf("mach", 21, 4)),
    gbaseCluster(ctx, "gbase-lab", hostsOf("gbase", 25, 3)),
    tiberoCluster(ctx, "tibero-lab", hostsOf("tac", 28, 2)),
    prosyncCluster(ctx, "prosync-lab", hostsOf("prs", 30, 2)),
    postgresCluster(ctx, "pg-streaming", hostsOf("pg", 32, 2), "streaming"),
    postgresCluster(ctx, "pg-bare", hostsOf("pg", 34, 2, ["pg3", "pg4"]), "bare"),
    // PostgreSQL 11 (recovery.conf era) beside the 15 pairs: 127.0.0.36–37.
    pg11Cluster(ctx, "pg11-streaming", hostsOf("pg", 36, 2, ["pg5", "pg6"])),
  ]);
}

/** The tests' small estate: Machbase on 2 hosts + the streaming pair, on 127.0.0.150–153 port 2250. */
export function testEstate(): EstateDefinition {
  return composeEstate({ name: "test", runDir: path.join(defaultRunDir, "test-estate"), port: 2250, timeScale: 0.01 }, (ctx) => [
    machbaseCluster(ctx, "t-machbase", hostsOf("tmach", 150, 2)),
    postgresCluster(ctx, "t-pg", hostsOf("tpg", 152, 2), "streaming"),
  ]);
}

/**
 * The browser tests' estate on port 2260: Machbase on 2 hosts + the streaming pair + the runs' Machbase
 * (127.0.0.160–165), and one cluster per procedure spec of GBase, Tibero and ProSync (127.0.0.166–173).
 */
export function e2eEstate(): EstateDefinition {
  return composeEstate({ name: "e2e", runDir: path.join(defaultRunDir, "e2e-estate"), port: 2260, timeScale: 0.05 }, (ctx) => [
    machbaseCluster(ctx, "e2e-machbase", hostsOf("emach", 160, 2)),
    postgresCluster(ctx, "e2e-pg", hostsOf("epg", 162, 2), "streaming"),
    // The run tests' own cluster, slow enough (time scale 2: a sync takes ~5 s) that a 2 s poll sees
    // every table the seed shows: scrapped, sync-standby/sync-active with RP running, normal.
    machbaseCluster({ ...ctx, timeScale: 2 }, "e2e-mach-runs", hostsOf("eruns", 164, 2)),
    // e2e/gbase-flush.spec.ts: the forced snapshot flush, then a gcware that refuses to open.
    gbaseCluster(ctx, "e2e-gbase", hostsOf("egb", 166, 2)),
    // e2e/tibero-create-database.spec.ts: two TACs without a database, one created in full, one with
    // an instance that fails to boot (each run creates the database, so each needs its own).
    tiberoCluster(ctx, "e2e-tac-create", hostsOf("etac", 168, 2), { database: "none" }),
    tiberoCluster(ctx, "e2e-tac-bootfail", hostsOf("etbf", 170, 2), { database: "none" }),
    // e2e/prosync-cm-failover.spec.ts: the CM failover set-up, then an agent script with #!/bin/sh.
    prosyncCluster(ctx, "e2e-prosync", hostsOf("eprs", 172, 2)),
    // e2e/pg-replication.spec.ts: streaming set-up on a bare pair, then fail-over, pg_rewind fail-back, switch-back.
    postgresCluster(ctx, "e2e-pg-bare", hostsOf("epgb", 174, 2), "bare"),
  ]);
}

export const ESTATES: Record<string, () => EstateDefinition> = { demo: demoEstate, test: testEstate, e2e: e2eEstate };
