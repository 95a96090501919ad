import { randomUUID } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { Logger, runMigrations as runQueueMigrations } from "graphile-worker";
import pg from "pg";
import { errorMessage, isMainModule, runCli } from "./cli";
import { resolveDatabaseUrl } from "./database-url";
import { matchesChecksum, type MigrationFolder, readMigrationFolders } from "./migrations-dir";
import {
  ensureMigrationsTable,
  insertRolledBackRow,
  insertStartedRow,
  markFinished,
  type MigrationRow,
  prismaMigrationLockKey,
  readMigrationRows,
} from "./migrations-table";
import { repoRoot } from "./paths";

export class MigrationHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationHistoryError";
  }
}

export interface ApplyResult {
  applied: string[];
  /** Applied in the database but absent from the migrations directory. */
  unknownInDatabase: string[];
}

const quietQueueLogger = new Logger(() => () => undefined);

const isApplied = (row: MigrationRow) => row.finished_at !== null && row.rolled_back_at === null;
const isFailed = (row: MigrationRow) => row.finished_at === null && row.rolled_back_at === null;

/** Throws when the recorded history forbids applying anything (Prisma's P3009 / edited migrations). */
function assertHistoryUsable(rows: MigrationRow[], folders: MigrationFolder[]): void {
  const failed = rows.filter(isFailed).map((row) => row.migration_name);
  if (failed.length > 0) {
    throw new MigrationHistoryError(
      `migration(s) ${failed.join(", ")} failed earlier and may be partially applied. Fix the database, then mark ` +
        "them rolled back (`prisma migrate resolve --rolled-back NAME`, or set rolled_back_at in _prisma_migrations).",
    );
  }
  const byName = new Map(folders.map((folder) => [folder.name, folder]));
  const edited = rows
    .filter(isApplied)
    .filter((row) => {
      const folder = byName.get(row.migration_name);
      return folder !== undefined && !matchesChecksum(folder, row.checksum);
    })
    .map((row) => row.migration_name);
  if (edited.length > 0) {
    throw new MigrationHistoryError(
      `migration(s) ${edited.join(", ")} were modified after they were applied (checksum mismatch). ` +
        "Restore the applied migration.sql and put changes in a new migration (npm run db:migration:create NAME).",
    );
  }
}

async function applyOne(client: pg.Client, folder: MigrationFolder): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await insertStartedRow(client, id, folder.name, folder.checksum);
    await client.query(folder.script);
    await markFinished(client, id);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    await insertRolledBackRow(client, id, folder.name, folder.checksum, errorMessage(error));
    throw new MigrationHistoryError(`migration ${folder.name} failed and was rolled back: ${errorMessage(error)}`);
  }
}

/**
 * Applies pending migrations like `prisma migrate deploy`, with only `pg`:
 * same `_prisma_migrations` bookkeeping and advisory lock, so the history stays
 * interchangeable with the official CLI. Each migration runs in a transaction.
 * A relative `migrationsDir` is relative to the repository root.
 */
export async function applyMigrations(
  url: string,
  migrationsDir: string = "prisma/migrations",
): Promise<ApplyResult> {
  const folders = await readMigrationFolders(path.resolve(repoRoot, migrationsDir));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [prismaMigrationLockKey]);
    await ensureMigrationsTable(client);
    const rows = await readMigrationRows(client);
    assertHistoryUsable(rows, folders);
    const appliedNames = new Set(rows.filter(isApplied).map((row) => row.migration_name));
    const folderNames = new Set(folders.map((folder) => folder.name));
    const applied: string[] = [];
    for (const folder of folders.filter((candidate) => !appliedNames.has(candidate.name))) {
      await applyOne(client, folder);
      applied.push(folder.name);
    }
    return { applied, unknownInDatabase: [...appliedNames].filter((name) => !folderNames.has(name)) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [prismaMigrationLockKey]).catch(() => undefined);
    await client.end();
    // The job queue's own schema (graphile_worker), versioned by the library: runs enqueue their jobs
    // with graphile_worker.add_job inside Keel's transactions, so it must exist before the console starts.
    await runQueueMigrations({ connectionString: url, logger: quietQueueLogger });
  }
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { migrations: { type: "string" } } });
  const url = await resolveDatabaseUrl();
  const result = await applyMigrations(url, values.migrations && path.resolve(values.migrations));
  for (const name of result.applied) console.log(`applied ${name}`);
  if (result.applied.length === 0) console.log("no pending migrations");
  for (const name of result.unknownInDatabase) {
    console.warn(`warning: ${name} is applied in the database but missing from prisma/migrations`);
  }
  return 0;
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
