import type pg from "pg";

/** Prisma's advisory lock key for migrations (prisma-engines, sql-migration-connector). */
export const prismaMigrationLockKey = 72707369;

/** Identical to the table Prisma's schema engine creates on PostgreSQL. */
const createTableSql = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export async function ensureMigrationsTable(client: pg.ClientBase): Promise<void> {
  await client.query(createTableSql);
}

export async function readMigrationRows(client: pg.ClientBase): Promise<MigrationRow[]> {
  const result = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, logs, finished_at, rolled_back_at, started_at, applied_steps_count
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

export async function insertStartedRow(client: pg.ClientBase, id: string, name: string, checksum: string): Promise<void> {
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, clock_timestamp(), 0)`,
    [id, checksum, name],
  );
}

export async function markFinished(client: pg.ClientBase, id: string): Promise<void> {
  await client.query(
    `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
}

/**
 * Records a migration whose transaction rolled back: it failed (logs) but left
 * nothing behind, which is exactly what Prisma's `rolled_back_at` means, so a
 * fixed migration can simply be applied again.
 */
export async function insertRolledBackRow(
  client: pg.ClientBase,
  id: string,
  name: string,
  checksum: string,
  logs: string,
): Promise<void> {
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
     VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp(), 0)`,
    [id, checksum, name, logs],
  );
}
