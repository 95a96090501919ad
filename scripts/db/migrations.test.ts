import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, MigrationHistoryError } from "./apply-migrations";
import { checkDrift } from "./check-drift";
import { createMigration, normaliseName } from "./create-migration";
import type { EmbeddedPostgres } from "./embedded";
import { loadMigrationList, noFilters } from "./engine-inputs";
import { withClient } from "./pg-admin";
import { repoRoot } from "./paths";
import { withSchemaEngine } from "./schema-engine";
import {
  createScratchDatabase,
  createWorkspace,
  type ScratchDatabase,
  scratchDatabases,
  shadowDatabases,
  startToolTestServer,
  tableNames,
  type Workspace,
} from "./test-support";

const execFileAsync = promisify(execFile);
// Each engine test creates several databases (scratch + shadow); on a loaded 2-core machine that takes a while.
const engineTestTimeout = 90_000;

const userModel = `model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
`;
const commentModel = `model Comment {
  id   Int    @id @default(autoincrement())
  body String
}
`;

interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

function migrationRecords(url: string): Promise<MigrationRecord[]> {
  return withClient(url, async (client) => {
    const result = await client.query<MigrationRecord>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count
         FROM "_prisma_migrations" ORDER BY started_at`,
    );
    return result.rows;
  });
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let server: EmbeddedPostgres;
let db: ScratchDatabase;
let ws: Workspace;

beforeAll(async () => {
  server = await startToolTestServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  db = await createScratchDatabase(server.url);
  ws = await createWorkspace();
});
afterEach(async () => {
  await db.drop();
  await ws.remove();
});

describe("applyMigrations", () => {
  const first = 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);\n';
  const second = 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "b" VALUES (1);\n';

  it("applies folders in name order and records them like Prisma", async () => {
    await ws.writeMigration("20250101000001_b", second);
    await ws.writeMigration("20250101000000_a", first);

    const result = await applyMigrations(db.url, ws.migrationsDir);

    expect(result.applied).toEqual(["20250101000000_a", "20250101000001_b"]);
    expect(await tableNames(db.url)).toEqual(["_prisma_migrations", "a", "b"]);
    const records = await migrationRecords(db.url);
    expect(records.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs, r.rolled_back_at])).toEqual([
      ["20250101000000_a", sha256(first), 1, null, null],
      ["20250101000001_b", sha256(second), 1, null, null],
    ]);
    expect(records.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("applies nothing the second time", async () => {
    await ws.writeMigration("20250101000000_a", first);
    await applyMigrations(db.url, ws.migrationsDir);

    const again = await applyMigrations(db.url, ws.migrationsDir);

    expect(again.applied).toEqual([]);
    expect(await migrationRecords(db.url)).toHaveLength(1);
  });

  it("Prisma's own engine reads the recorded history as up to date", async () => {
    await ws.writeMigration("20250101000000_a", first);
    await applyMigrations(db.url, ws.migrationsDir);
    const migrationsList = await loadMigrationList(ws.migrationsDir);

    const diagnosis = await withSchemaEngine(db.url, "diagnoseMigrationHistory", (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters }),
    );

    expect(diagnosis).toMatchObject({ history: null, failedMigrationNames: [], editedMigrationNames: [] });
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const file = await ws.writeMigration("20250101000000_a", first);
    await applyMigrations(db.url, ws.migrationsDir);
    await writeFile(file, `${first}-- edited\n`);
    await ws.writeMigration("20250101000001_b", second);

    await expect(applyMigrations(db.url, ws.migrationsDir)).rejects.toThrow(/20250101000000_a.*modified/);
    expect(await tableNames(db.url)).not.toContain("b");
  });

  it("accepts an applied migration whose file only changed line endings, as Prisma does", async () => {
    const file = await ws.writeMigration("20250101000000_a", first);
    await applyMigrations(db.url, ws.migrationsDir);
    await writeFile(file, first.replaceAll("\n", "\r\n"));

    expect((await applyMigrations(db.url, ws.migrationsDir)).applied).toEqual([]);
  });

  it("refuses to continue past a failed migration", async () => {
    await ws.writeMigration("20250101000000_a", first);
    await withClient(db.url, async (client) => {
      await applyMigrations(db.url, ws.migrationsDir);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-4000-8000-000000000000', 'x', '20250101000001_b')`,
      );
    });
    await ws.writeMigration("20250101000001_b", second);

    await expect(applyMigrations(db.url, ws.migrationsDir)).rejects.toBeInstanceOf(MigrationHistoryError);
    await expect(applyMigrations(db.url, ws.migrationsDir)).rejects.toThrow(/20250101000001_b failed earlier/);
  });

  it("rolls a failing migration back, records it as rolled back, and applies the fixed file", async () => {
    const file = await ws.writeMigration("20250101000000_a", `${first}SELECT no_such_function();\n`);

    await expect(applyMigrations(db.url, ws.migrationsDir)).rejects.toThrow(/no_such_function/);
    expect(await tableNames(db.url)).toEqual(["_prisma_migrations"]);
    const [failed] = await migrationRecords(db.url);
    expect(failed).toMatchObject({ finished_at: null, logs: expect.stringContaining("no_such_function") });
    expect(failed?.rolled_back_at).toBeInstanceOf(Date);

    await writeFile(file, first);
    expect((await applyMigrations(db.url, ws.migrationsDir)).applied).toEqual(["20250101000000_a"]);
  });
});

describe("createMigration and checkDrift", () => {
  const options = () => ({ url: db.url, schemaPath: ws.schemaPath, migrationsDir: ws.migrationsDir });
  const runCli = (script: string, ...args: string[]) =>
    execFileAsync(
      path.join(repoRoot, "node_modules", ".bin", "tsx"),
      [script, "--schema", ws.schemaPath, "--migrations", ws.migrationsDir, ...args],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url } },
    );
  const failureOf = (run: Promise<unknown>) =>
    run.then(
      () => ({ code: 0, stderr: "" }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? "" }),
    );

  it("creates migrations only for changes, and the drift check follows the schema", async () => {
    await ws.writeSchema(userModel);

    const init = await createMigration({ ...options(), name: "Init" });

    expect(init.migrationName).toMatch(/^\d{14}_init$/);
    const initSql = await readFile(path.join(ws.migrationsDir, init.migrationName ?? "", "migration.sql"), "utf8");
    expect(initSql).toContain('CREATE TABLE "User"');
    expect(await readFile(path.join(ws.migrationsDir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');

    const unchanged = await runCli("scripts/db/create-migration.ts", "nothing");
    expect(unchanged.stdout).toContain("no changes");
    expect((await readdir(ws.migrationsDir)).sort()).toEqual([init.migrationName, "migration_lock.toml"]);
    expect(await checkDrift(options())).toEqual({ inSync: true, diffSql: "" });

    await ws.writeSchema(userModel + commentModel);
    const drift = await checkDrift(options());
    expect(drift.inSync).toBe(false);
    expect(drift.diffSql).toContain('CREATE TABLE "Comment"');
    expect(drift.diffSql).not.toContain('CREATE TABLE "User"');

    const added = await createMigration({ ...options(), name: "add comment" });
    expect(added.migrationName).toMatch(/^\d{14}_add_comment$/);
    expect(await checkDrift(options())).toEqual({ inSync: true, diffSql: "" });

    expect(await applyMigrations(db.url, ws.migrationsDir)).toMatchObject({
      applied: [init.migrationName, added.migrationName],
    });
    expect(await tableNames(db.url)).toEqual(["Comment", "User", "_prisma_migrations"]);
    expect(await shadowDatabases(server.url)).toEqual([]);
    expect(await scratchDatabases(server.url)).toEqual([]);
  }, engineTestTimeout);

  it("the drift CLI exits 1 printing the missing SQL, 0 once a migration exists", async () => {
    await ws.writeSchema(userModel);

    const failure = await failureOf(runCli("scripts/db/check-drift.ts"));
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('CREATE TABLE "User"');

    await createMigration({ ...options(), name: "init" });
    expect((await runCli("scripts/db/check-drift.ts")).stdout).toContain("in sync");
  }, engineTestTimeout);

  it("slugifies names the way Prisma's CLI does", () => {
    expect(normaliseName("AddUser")).toBe("add_user");
    expect(normaliseName("  add comments table! ")).toBe("add_comments_table");
    expect(() => normaliseName("!!!")).toThrow();
  });
});
