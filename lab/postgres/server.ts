// One real PostgreSQL 15 server of the lab, run as its host's lab user. Idempotent: every step
// checks what is already there (an initialised PGDATA, a running postmaster, a role, a slot).
import { existsSync, readFileSync } from "node:fs";
import { appendFile, chmod, chown, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { PG_PORT, type PgServer } from "../estate/definition";
import { standbyConfig } from "../../lib/engines/postgres/config-gen";
import { parseMajor } from "../../lib/engines/postgres/version";
import { ensureBinaries } from "./binaries";
import { hbaConf, HOST_CONF, hostConf, REPLICATION_ROLE, sharedConf } from "./config";
import { lookupAccount, runAs } from "./run-as";

export type PgResult<T = void> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): PgResult<T> => ({ ok: true, value });
const err = <T>(error: string): PgResult<T> => ({ ok: false, error });

async function pgTool(s: PgServer, tool: string, args: readonly string[], env: Record<string, string> = {}) {
  return runAs(s.user, path.join(s.bin, tool), args, { cwd: s.dir, env });
}

/** The server's directory, PGDATA and socket dir, owned by its lab user (PostgreSQL insists on 0700). */
export async function prepareDirs(s: PgServer): Promise<void> {
  const account = await lookupAccount(s.user);
  for (const [dir, mode] of [[s.dir, 0o2750], [s.pgdata, 0o700], [s.socketDir, 0o700]] as const) {
    await mkdir(dir, { recursive: true });
    await chown(dir, account.uid, account.gid);
    await chmod(dir, mode);
  }
}

export const isInitialised = (s: PgServer): boolean => existsSync(path.join(s.pgdata, "PG_VERSION"));

// Not `pg_ctl status`: it probes the pid with kill(0), which succeeds on a zombie, and this machine's
// PID 1 is slow to reap orphans (a SIGKILLed postmaster stayed "running" to pg_ctl).
export async function isRunning(s: PgServer): Promise<boolean> {
  return isInitialised(s) && postmasterPid(s) !== null;
}

/** The postmaster's pid from postmaster.pid, only if that process is alive (not a zombie) and is this server's. */
export function postmasterPid(s: PgServer): number | null {
  try {
    const pid = Number(readFileSync(path.join(s.pgdata, "postmaster.pid"), "utf8").split("\n")[0]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && cmdline.includes("postgres") && cmdline.includes(s.pgdata) ? pid : null;
  } catch {
    return null;
  }
}

export async function query<R extends pg.QueryResultRow>(s: PgServer, sql: string, values: unknown[] = []): Promise<PgResult<R[]>> {
  const client = new pg.Client({ host: s.socketDir, port: PG_PORT, user: "postgres", database: "postgres", connectionTimeoutMillis: 2_000 });
  // A server shutting down ends the session with an error event as well as the failed query: the query's answers.
  client.on("error", () => undefined);
  try {
    await client.connect();
    return ok((await client.query<R>(sql, values)).rows);
  } catch (e) {
    return err(e instanceof Error ? e.message : String(e));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `probe` (a real connection each time) until it yields a value or the deadline passes. */
export async function pollUntil<T>(probe: () => Promise<PgResult<T | null>>, timeoutMs: number, what: string): Promise<PgResult<T>> {
  const deadline = Date.now() + timeoutMs;
  let last = "not tried";
  for (;;) {
    const r = await probe();
    if (r.ok && r.value !== null) return ok(r.value);
    last = r.ok ? "not yet" : r.error;
    if (Date.now() > deadline) return err(`${what}: timed out (${last})`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

export const waitAcceptingConnections = (s: PgServer, timeoutMs = 30_000) =>
  pollUntil(async () => {
    const r = await query<{ one: number }>(s, "SELECT 1 AS one");
    return r.ok ? ok(true) : r;
  }, timeoutMs, `${s.host}: PostgreSQL accepting connections`);

export const waitStreaming = (s: PgServer, timeoutMs = 30_000) =>
  pollUntil(async () => {
    const r = await query<{ status: string }>(s, "SELECT status FROM pg_stat_wal_receiver");
    if (!r.ok) return r;
    return ok(r.value[0]?.status === "streaming" ? true : null);
  }, timeoutMs, `${s.host}: standby streaming`);

async function initPrimary(s: PgServer, pairAddresses: readonly string[], replication: boolean): Promise<PgResult> {
  if (isInitialised(s)) return ok(undefined);
  if ((await readdir(s.pgdata)).length > 0) return err(`${s.pgdata} is not empty and holds no PG_VERSION: remove it or run up --fresh`);
  const init = await pgTool(s, "initdb", ["-D", s.pgdata, "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth-local=trust", `--auth-host=${Number(s.major) >= 14 ? "scram-sha-256" : "md5"}`, ...(Number(s.major) >= 14 ? ["--no-instructions"] : [])]);
  if (init.code !== 0) return err(`initdb on ${s.host} failed: ${init.stderr.trim()}`);
  await appendFile(path.join(s.pgdata, "postgresql.conf"), sharedConf(s.major));
  await writeOwned(s, path.join(s.pgdata, HOST_CONF), hostConf(s));
  await writeOwned(s, path.join(s.pgdata, "pg_hba.conf"), hbaConf(pairAddresses, replication));
  return ok(undefined);
}

async function writeOwned(s: PgServer, file: string, text: string): Promise<void> {
  const account = await lookupAccount(s.user);
  await writeFile(file, text, { mode: 0o600 });
  await chown(file, account.uid, account.gid);
}

/** pg_basebackup -R, run as the standby's user "on the standby host", through the slot. */
async function cloneStandby(s: PgServer, upstream: PgServer, password: string): Promise<PgResult> {
  if (isInitialised(s)) return ok(undefined);
  if ((await readdir(s.pgdata)).length > 0) return err(`${s.pgdata} is not empty and holds no PG_VERSION: remove it or run up --fresh`);
  // Before 12 the lab's pg_basebackup (15's) must not write the configuration: its -R recovery.conf
  // carries libpq 15 options (channel_binding, sslsni …) that an 11 walreceiver rejects ("invalid
  // connection option"). Keel's own generator writes it, and the password goes to ~/.pgpass.
  const modern = Number(s.major) >= 12;
  // application_name lands in the primary_conninfo -R writes, so pg_stat_replication names the standby.
  const backup = await pgTool(
    s,
    "pg_basebackup",
    ["-d", `application_name=${s.host}`, "-h", upstream.address, "-p", String(PG_PORT), "-U", REPLICATION_ROLE, "-D", s.pgdata, ...(modern ? ["-R"] : []), "-X", "stream", "-S", s.slot ?? "", "-c", "fast", "--no-password"],
    { PGPASSWORD: password },
  );
  if (backup.code !== 0) return err(`pg_basebackup on ${s.host} from ${upstream.host} failed: ${backup.stderr.trim()}`);
  await writeOwned(s, path.join(s.pgdata, HOST_CONF), hostConf(s));
  if (!modern) {
    const major = parseMajor(s.major);
    if (!major.ok) return err(major.message);
    const config = standbyConfig(major.value, {
      primary: { host: upstream.address, port: PG_PORT, user: REPLICATION_ROLE, applicationName: s.host },
      slot: s.slot ?? null,
      triggerFile: null,
      restoreCommand: null,
      archiveCleanupCommand: null,
    });
    if (!config.ok) return err(config.message);
    await writeOwned(s, path.join(s.pgdata, config.file), config.text);
    const account = await lookupAccount(s.user);
    await writeOwned(s, path.join(account.home, ".pgpass"), `*:*:*:${REPLICATION_ROLE}:${password.replace(/([\\:])/g, "\\$1")}\n`);
  }
  return ok(undefined);
}

export async function startServer(s: PgServer): Promise<PgResult> {
  if (!(await isRunning(s))) {
    // -W: pg_ctl returns at once; readiness is judged by a real connection below.
    const start = await pgTool(s, "pg_ctl", ["start", "-W", "-D", s.pgdata, "-l", s.logFile]);
    if (start.code !== 0) return err(`pg_ctl start on ${s.host} failed: ${start.stderr.trim()}`);
  }
  const ready = await waitAcceptingConnections(s);
  return ready.ok ? ok(undefined) : err(`${ready.error}\n${tail(s.logFile)}`);
}

export async function stopServer(s: PgServer): Promise<PgResult> {
  if (!(await isRunning(s))) return ok(undefined);
  const stop = await pgTool(s, "pg_ctl", ["stop", "-D", s.pgdata, "-m", "fast", "-w", "-t", "60"]);
  return stop.code === 0 ? ok(undefined) : err(`pg_ctl stop on ${s.host} failed: ${stop.stderr.trim()}`);
}

/** The crash of issue 5's fail-back: SIGKILL to the postmaster (its backends follow it down). */
export function killServer(s: PgServer): PgResult<number> {
  const pid = postmasterPid(s);
  if (pid === null) return err(`${s.host}: no running postmaster`);
  process.kill(pid, "SIGKILL");
  return ok(pid);
}

async function ensureReplicationRole(primary: PgServer, password: string, slots: readonly string[]): Promise<PgResult> {
  const role = await query(primary, `DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${REPLICATION_ROLE}') THEN CREATE ROLE ${REPLICATION_ROLE} WITH REPLICATION LOGIN; END IF;
  END $$`);
  if (!role.ok) return role;
  // ALTER ROLE … PASSWORD takes no bind parameters; the lab password is a fixed, quote-free string.
  if (password.includes("'")) return err("replication password must not contain a quote");
  const pass = await query(primary, `ALTER ROLE ${REPLICATION_ROLE} WITH PASSWORD '${password}'`);
  if (!pass.ok) return pass;
  for (const slot of slots) {
    const r = await query(primary, "SELECT pg_create_physical_replication_slot($1) FROM (SELECT 1) x WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)", [slot]);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

/** A server that holds standby.signal (12+) or recovery.conf (≤ 11) is a standby, whatever the definition first made it. */
export const isStandbyNow = (s: PgServer): boolean => existsSync(path.join(s.pgdata, "standby.signal")) || existsSync(path.join(s.pgdata, "recovery.conf"));

/**
 * Brings one pair up. What is missing is made: the primary (initdb), and for a standby not cloned
 * yet the replication role, its slot and pg_basebackup. Then every initialised server is started in
 * the role its data directory now holds (a procedure may have failed over or set up the bare pair): servers
 * without standby.signal first, then standbys, each waited for until streaming.
 */
export async function upPair(servers: readonly PgServer[], password: string): Promise<PgResult> {
  const primary = servers.find((s) => s.mode === "primary");
  if (!primary) return err("a pair needs a primary");
  for (const s of servers) await prepareDirs(s);
  for (const b of new Set(servers.map((s) => s.bin))) await ensureBinaries(b, servers.find((s) => s.bin === b)?.major ?? "15");
  const standbys = servers.filter((x) => x.mode === "standby");
  const init = await initPrimary(primary, servers.map((x) => x.address), standbys.length > 0);
  if (!init.ok) return init;
  const toClone = standbys.filter((x) => !isInitialised(x));
  if (toClone.length > 0) {
    const started = await startServer(primary);
    if (!started.ok) return started;
    const role = await ensureReplicationRole(primary, password, toClone.map((x) => x.slot ?? ""));
    if (!role.ok) return role;
    for (const x of toClone) {
      const cloned = await cloneStandby(x, primary, password);
      if (!cloned.ok) return cloned;
    }
  }
  const initialised = servers.filter(isInitialised);
  const ordered = [...initialised.filter((s) => !isStandbyNow(s)), ...initialised.filter(isStandbyNow)];
  for (const s of ordered) {
    const started = await startServer(s);
    if (!started.ok) return started;
    if (isStandbyNow(s)) {
      const streaming = await waitStreaming(s);
      if (!streaming.ok) return streaming;
    }
  }
  return ok(undefined);
}

/** Standbys first, so the primary's fast shutdown does not wait on a walsender. */
export async function downPair(servers: readonly PgServer[]): Promise<PgResult> {
  const ordered = [...servers].sort((a, b) => Number(a.mode === "primary") - Number(b.mode === "primary"));
  const errors: string[] = [];
  for (const s of ordered) {
    const r = await stopServer(s);
    if (!r.ok) errors.push(r.error);
  }
  return errors.length ? err(errors.join("\n")) : ok(undefined);
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-10).join("\n");
  } catch {
    return "";
  }
}
