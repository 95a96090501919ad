import { readFileSync } from "node:fs";
import { rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialsPath } from "./credentials";
import {
  dropDatabase,
  embeddedPostgresPort,
  ensureDatabase,
  ensureEmbeddedPostgres,
  type EmbeddedPostgres,
} from "./embedded";
import { withClient, withDatabase } from "./pg-admin";
import { repoRoot } from "./paths";
import { findPgBinDir, MissingPostgresBinariesError } from "./pg-binaries";
import { isRoot } from "./run-as-postgres";

// A cluster of its own, created from nothing on every run, so initdb is tested too.
const dataDir = path.join(repoRoot, ".data", "pg-tooltest-lifecycle");
const port = 55434;

function postmasterPid(): number {
  return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

let server: EmbeddedPostgres | undefined;

beforeAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(credentialsPath(dataDir), { force: true });
});
afterAll(async () => {
  await server?.stop();
});

describe("ensureEmbeddedPostgres", () => {
  it("initialises a private cluster listening on 127.0.0.1 only, then reuses it", async () => {
    server = await ensureEmbeddedPostgres({ dataDir, port });

    expect(server).toMatchObject({ dataDir, port });
    expect(server.url).toMatch(new RegExp(`^postgresql://keel:[0-9a-f]{48}@127\\.0\\.0\\.1:${port}/keel$`));
    const settings = await withClient(server.url, async (client) => {
      const result = await client.query<{ listen: string; db: string }>(
        "SELECT current_setting('listen_addresses') AS listen, current_database() AS db",
      );
      return result.rows[0];
    });
    expect(settings).toEqual({ listen: "127.0.0.1", db: "keel" });
    expect((await stat(credentialsPath(dataDir))).mode & 0o777).toBe(0o600);
    if (isRoot()) expect((await stat(dataDir)).uid).not.toBe(0);

    const pid = postmasterPid();
    const again = await ensureEmbeddedPostgres({ dataDir, port });
    expect(again.url).toBe(server.url);
    expect(postmasterPid()).toBe(pid);
  });

  it("restarts after stop, after a stale postmaster.pid, and after a crash", async () => {
    server = await ensureEmbeddedPostgres({ dataDir, port });
    await server.stop();
    expect(await embeddedPostgresPort(dataDir)).toBeUndefined();

    // A pid file naming a live process that is not our postmaster (a reused PID).
    await writeFile(path.join(dataDir, "postmaster.pid"), `${process.pid}\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready\n`);
    server = await ensureEmbeddedPostgres({ dataDir, port });
    expect(await embeddedPostgresPort(dataDir)).toBe(port);

    process.kill(postmasterPid(), "SIGKILL");
    server = await ensureEmbeddedPostgres({ dataDir, port });
    expect(await withClient(server.url, async (client) => (await client.query("SELECT 1 AS ok")).rows[0])).toEqual({ ok: 1 });
  });

  it("creates and drops databases idempotently", async () => {
    server = await ensureEmbeddedPostgres({ dataDir, port });
    await ensureDatabase(server.url, "lifecycle_extra");
    await ensureDatabase(server.url, "lifecycle_extra");
    const url = withDatabase(server.url, "lifecycle_extra");
    expect(await withClient(url, async (client) => (await client.query("SELECT current_database() AS db")).rows[0])).toEqual({
      db: "lifecycle_extra",
    });

    await dropDatabase(server.url, "lifecycle_extra");
    await dropDatabase(server.url, "lifecycle_extra");
    await expect(withClient(url, async () => undefined)).rejects.toThrow(/does not exist/);
  });
});

describe("findPgBinDir", () => {
  it("explains how to install PostgreSQL when KEEL_PG_BIN is wrong", () => {
    expect(() => findPgBinDir({ KEEL_PG_BIN: "/nonexistent" })).toThrow(MissingPostgresBinariesError);
    expect(() => findPgBinDir({ KEEL_PG_BIN: "/nonexistent" })).toThrow(/apt-get install -y postgresql/);
  });

  it("finds Debian's newest server binaries", () => {
    expect(findPgBinDir({})).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  });
});
