// Test-only: a real PostgreSQL primary and a streaming standby (pg_basebackup -R) on two loopback
// addresses, run as the `postgres` user, in a temp directory removed by stop().
import { execFile } from "node:child_process";
import { appendFile, chmod, chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
export const PG15_BIN = "/usr/lib/postgresql/15/bin";

export type PgServerSpec = { name: string; address: string; port: number; dataDir: string; socketDir: string };
export type PgPair = { root: string; primary: PgServerSpec; standby: PgServerSpec; stop(): Promise<void> };

async function asPostgres(tool: string, args: string[]): Promise<string> {
  const { stdout } = await exec("runuser", ["-u", "postgres", "--", path.join(PG15_BIN, tool), ...args], { timeout: 60_000 });
  return stdout;
}

/** psql as superuser over TCP (trust auth in this throw-away cluster). */
export async function sql(server: PgServerSpec, statement: string): Promise<string> {
  const { stdout } = await exec(path.join(PG15_BIN, "psql"), ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", server.address, "-p", String(server.port), "-U", "postgres", "-d", "postgres", "-c", statement]);
  return stdout.trim();
}

/** Polls until `check` returns true, or throws after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function conf(s: PgServerSpec, root: string): string {
  return `
listen_addresses = '${s.address}'
port = ${s.port}
unix_socket_directories = '${s.socketDir}'
cluster_name = '${s.name}'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
archive_mode = on
archive_command = 'cp %p ${root}/archive/%f'
fsync = off
shared_buffers = 16MB
`;
}

export async function startPgPair(primaryAddress: string, standbyAddress: string, port: number): Promise<PgPair> {
  const root = await mkdtemp(path.join(tmpdir(), "keel-pg-status-"));
  await chmod(root, 0o755);
  const spec = (address: string, tag: string): PgServerSpec => ({
    name: `${address}:${port}`,
    address,
    port,
    dataDir: path.join(root, tag),
    socketDir: path.join(root, `${tag}-sock`),
  });
  const primary = spec(primaryAddress, "primary");
  const standby = spec(standbyAddress, "standby");
  const { uid, gid } = await postgresIds();
  for (const dir of [path.join(root, "archive"), primary.socketDir, standby.socketDir]) {
    await mkdir(dir, { recursive: true });
    await chown(dir, uid, gid);
  }
  await chown(root, uid, gid);
  const started: PgServerSpec[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await asPostgres("pg_ctl", ["-D", s.dataDir, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await asPostgres("initdb", ["-D", primary.dataDir, "-U", "postgres", "--auth=trust", "--no-sync"]);
    await appendFile(path.join(primary.dataDir, "postgresql.conf"), conf(primary, root));
    await appendFile(path.join(primary.dataDir, "pg_hba.conf"), "host all all 127.0.0.0/8 trust\nhost replication all 127.0.0.0/8 trust\n");
    await asPostgres("pg_ctl", ["-D", primary.dataDir, "-l", path.join(root, "primary.log"), "-w", "start"]);
    started.push(primary);
    await sql(primary, "SELECT pg_create_physical_replication_slot('standby1')");
    await asPostgres("pg_basebackup", ["-h", primary.address, "-p", String(port), "-U", "postgres", "-D", standby.dataDir, "-R", "-X", "stream", "-S", "standby1", "--no-sync"]);
    await appendFile(path.join(standby.dataDir, "postgresql.conf"), conf(standby, root));
    await asPostgres("pg_ctl", ["-D", standby.dataDir, "-l", path.join(root, "standby.log"), "-w", "start"]);
    started.push(standby);
    return { root, primary, standby, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await exec("id", ["-u", "postgres"])).stdout.trim());
  const gid = Number((await exec("id", ["-g", "postgres"])).stdout.trim());
  return { uid, gid };
}

/** Stops one server cleanly (the pair's stop() ignores servers already down). */
export async function stopServer(s: PgServerSpec): Promise<void> {
  await asPostgres("pg_ctl", ["-D", s.dataDir, "-m", "fast", "-w", "stop"]);
}

/** `pg_ctl promote` (waits until the server accepts writes). */
export async function promote(s: PgServerSpec): Promise<void> {
  await asPostgres("pg_ctl", ["-D", s.dataDir, "-w", "promote"]);
}
