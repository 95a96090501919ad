import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { dropDatabase, ensureDatabase, ensureEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
import { withClient, withDatabase } from "./pg-admin";
import { repoRoot } from "./paths";

/** A server of its own, so the tests never touch the developer's database. */
export const toolTestDataDir = path.join(repoRoot, ".data", "pg-tooltest");
export const toolTestPort = 55433;

export function startToolTestServer(): Promise<EmbeddedPostgres> {
  return ensureEmbeddedPostgres({ dataDir: toolTestDataDir, port: toolTestPort });
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `tooltest_${randomBytes(6).toString("hex")}`;
  await ensureDatabase(serverUrl, name);
  return { name, url: withDatabase(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
}

export interface Workspace {
  dir: string;
  schemaPath: string;
  migrationsDir: string;
  writeSchema(models: string): Promise<void>;
  writeMigration(name: string, sql: string): Promise<string>;
  remove(): Promise<void>;
}

const schemaHeader = `generator client {
  provider = "prisma-client"
  output   = "../generated"
}

datasource db {
  provider = "postgresql"
}
`;

/** A throwaway prisma/ folder (schema.prisma + migrations/) under .data. */
export async function createWorkspace(): Promise<Workspace> {
  await mkdir(path.join(repoRoot, ".data"), { recursive: true });
  const dir = await mkdtemp(path.join(repoRoot, ".data", "tooltest-"));
  const schemaPath = path.join(dir, "schema.prisma");
  const migrationsDir = path.join(dir, "migrations");
  await mkdir(migrationsDir);
  return {
    dir,
    schemaPath,
    migrationsDir,
    writeSchema: (models) => writeFile(schemaPath, `${schemaHeader}\n${models}`),
    async writeMigration(name, sql) {
      await mkdir(path.join(migrationsDir, name), { recursive: true });
      const file = path.join(migrationsDir, name, "migration.sql");
      await writeFile(file, sql);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function tableNames(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    return result.rows.map((row) => row.table_name);
  });
}

function databasesLike(serverUrl: string, pattern: string): Promise<string[]> {
  return withClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      pattern,
    ]);
    return result.rows.map((row) => row.datname);
  });
}

export const shadowDatabases = (serverUrl: string) => databasesLike(serverUrl, "prisma_migrate_shadow_db_%");
export const scratchDatabases = (serverUrl: string) => databasesLike(serverUrl, "keel_migrate_%");
