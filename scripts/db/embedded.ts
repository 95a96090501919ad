import { existsSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readFile, realpath, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import { errorMessage, isMainModule, runCli } from "./cli";
import { type Credentials, loadOrCreateCredentials } from "./credentials";
import { prepareDataDir } from "./data-dir";
import { withFileLock } from "./file-lock";
import { ensureDatabase, withDatabase } from "./pg-admin";
import { defaultDataDir, defaultPort } from "./paths";
import { findPgBinDir } from "./pg-binaries";
import { chownToPostgres } from "./postgres-user";
import { isRoot, runPgCommandOrThrow } from "./run-as-postgres";

export { dropDatabase, ensureDatabase } from "./pg-admin";

export const embeddedDatabaseName = "keel";
const readyTimeoutMs = 30_000;

export interface EmbeddedPostgresOptions {
  dataDir?: string;
  port?: number;
}

export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}

interface Cluster {
  bin: string;
  requestedDir: string;
  realDir: string;
}

function serverUrl(credentials: Credentials, port: number, database: string): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function initCluster(cluster: Cluster, credentials: Credentials): Promise<void> {
  // initdb reads the password from a file; it must be readable by the postgres user.
  const pwDir = await mkdtemp(path.join(os.tmpdir(), "keel-initdb-"));
  const pwFile = path.join(pwDir, "pw");
  try {
    await writeFile(pwFile, `${credentials.password}\n`, { mode: 0o600 });
    if (isRoot()) await Promise.all([chownToPostgres(pwDir), chownToPostgres(pwFile)]);
    await runPgCommandOrThrow(path.join(cluster.bin, "initdb"), [
      "-D", cluster.realDir,
      "-U", credentials.user,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
    ]);
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
  // TCP on loopback only; no Unix socket, so nothing depends on /var/run/postgresql.
  await appendFile(
    path.join(cluster.realDir, "postgresql.conf"),
    "\n# keel embedded server\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n",
  );
}

interface PidFile {
  pid: number;
  port: number;
}

async function readPidFile(realDir: string): Promise<PidFile | undefined> {
  const text = await readFile(path.join(realDir, "postmaster.pid"), "utf8").catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && port > 0 ? { pid, port } : undefined;
}

/**
 * True when `pid` is a live postmaster of this very data directory: after a
 * crash the PID in postmaster.pid may belong to another process by now
 * (Linux-only /proc check; a killed postmaster left as a zombie has no cmdline).
 */
async function isOurPostmaster(pid: number, realDir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (cmdline === undefined) return false;
  return cmdline.split("\0").includes(realDir);
}

/** Port of the running server, or undefined after clearing a stale postmaster.pid. */
async function runningPort(realDir: string): Promise<number | undefined> {
  const pidFile = await readPidFile(realDir);
  if (!pidFile) return undefined;
  if (await isOurPostmaster(pidFile.pid, realDir)) return pidFile.port;
  await unlink(path.join(realDir, "postmaster.pid")).catch(() => undefined);
  return undefined;
}

/** Starts the server; returns the log's size before start so only this run's lines are inspected. */
async function startServer(cluster: Cluster, port: number): Promise<number> {
  const logOffset = (await stat(logPath(cluster.realDir)).catch(() => undefined))?.size ?? 0;
  await runPgCommandOrThrow(path.join(cluster.bin, "pg_ctl"), [
    "-D", cluster.realDir,
    "-l", logPath(cluster.realDir),
    "-o", `-p ${port}`,
    "-W",
    "start",
  ]);
  return logOffset;
}

function logPath(realDir: string): string {
  return path.join(realDir, "server.log");
}

async function logSince(realDir: string, offset: number): Promise<string> {
  const log = await readFile(logPath(realDir)).catch(() => Buffer.alloc(0));
  return log.subarray(offset).toString("utf8");
}

function tail(text: string): string {
  return text.trim().split("\n").slice(-15).join("\n");
}

function isTransientConnectError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // 57P03: "the database system is starting up".
  return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "57P03";
}

/**
 * Did the postmaster die? Its pid file appears a moment after pg_ctl returns,
 * so absence alone is not failure. Our own early connection attempts log
 * "FATAL: the database system is starting up / not yet accepting connections"
 * (crash recovery), which are not failures either.
 */
function serverFailed(realDir: string, pidFileSeen: boolean, newLog: string): boolean {
  if (pidFileSeen && !existsSync(path.join(realDir, "postmaster.pid"))) return true;
  return newLog
    .split("\n")
    .some((line) => /\b(FATAL|PANIC):/.test(line) && !/FATAL:\s+the database system is/.test(line));
}

async function waitUntilReady(cluster: Cluster, url: string, logOffset: number): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let pidFileSeen = false;
  const failure = (reason: string, newLog: string) => {
    const log = newLog.trim() ? `; server log:\n${tail(newLog)}` : "";
    return new Error(`embedded PostgreSQL at ${cluster.requestedDir} is not usable: ${reason}${log}`);
  };
  for (;;) {
    pidFileSeen ||= existsSync(path.join(cluster.realDir, "postmaster.pid"));
    const newLog = await logSince(cluster.realDir, logOffset);
    // E.g. the port is taken: postgres logs why it exited, which says more than any connection error.
    if (serverFailed(cluster.realDir, pidFileSeen, newLog)) throw failure("the server exited", newLog);
    // The timeout matters when something else holds the port and never answers.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (!isTransientConnectError(error) || Date.now() > deadline) {
        throw failure(errorMessage(error), await logSince(cluster.realDir, logOffset));
      }
      await delay(20);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function stopServer(cluster: Cluster): Promise<void> {
  if ((await runningPort(cluster.realDir)) === undefined) return;
  await runPgCommandOrThrow(path.join(cluster.bin, "pg_ctl"), ["-D", cluster.realDir, "-m", "fast", "-w", "stop"]);
}

async function openCluster(dataDir: string): Promise<Cluster> {
  const requestedDir = path.resolve(dataDir);
  return { bin: findPgBinDir(), requestedDir, realDir: await prepareDataDir(requestedDir) };
}

/**
 * Starts (initialising on first use) the local PostgreSQL used when
 * DATABASE_URL is unset; reuses it when it already runs. A server that is
 * already running keeps its port, which may differ from `opts.port`.
 */
export async function ensureEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const requestedDir = path.resolve(opts.dataDir ?? defaultDataDir);
  await mkdir(path.dirname(requestedDir), { recursive: true, mode: 0o755 });
  return withFileLock(`${requestedDir}.lock`, async () => {
    const cluster = await openCluster(requestedDir);
    const initialised = existsSync(path.join(cluster.realDir, "PG_VERSION"));
    const credentials = await loadOrCreateCredentials(requestedDir, initialised);
    if (!initialised) await initCluster(cluster, credentials);
    let port = await runningPort(cluster.realDir);
    let logOffset = Number.MAX_SAFE_INTEGER;
    if (port === undefined) {
      port = opts.port ?? defaultPort;
      logOffset = await startServer(cluster, port);
    }
    await waitUntilReady(cluster, serverUrl(credentials, port, "postgres"), logOffset);
    const url = serverUrl(credentials, port, embeddedDatabaseName);
    await ensureDatabase(withDatabase(url, "postgres"), embeddedDatabaseName);
    return { url, dataDir: requestedDir, port, stop: () => stopEmbeddedPostgres(requestedDir) };
  });
}

/** Stops the embedded server of `dataDir` if it runs. */
export async function stopEmbeddedPostgres(dataDir: string = defaultDataDir): Promise<void> {
  if (!existsSync(dataDir)) return;
  await withFileLock(`${path.resolve(dataDir)}.lock`, async () => stopServer(await openCluster(dataDir)));
}

/** Port of the embedded server of `dataDir`, or undefined when it is not running. */
export async function embeddedPostgresPort(dataDir: string = defaultDataDir): Promise<number | undefined> {
  if (!existsSync(dataDir)) return undefined;
  return runningPort(await realpath(dataDir));
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case "start": {
      const server = await ensureEmbeddedPostgres();
      console.log(`embedded PostgreSQL running on 127.0.0.1:${server.port} (data: ${server.dataDir})`);
      return 0;
    }
    case "url":
      console.log((await ensureEmbeddedPostgres()).url);
      return 0;
    case "stop":
      await stopEmbeddedPostgres();
      console.log("embedded PostgreSQL stopped");
      return 0;
    case "status": {
      const port = await embeddedPostgresPort();
      console.log(port === undefined ? "embedded PostgreSQL is not running" : `embedded PostgreSQL running on 127.0.0.1:${port}`);
      return port === undefined ? 3 : 0;
    }
    default:
      console.error("usage: tsx scripts/db/embedded.ts start|stop|status|url");
      return 2;
  }
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv[2]));
