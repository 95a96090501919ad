import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export const migrationFileName = "migration.sql";
export const lockFileName = "migration_lock.toml";

export interface MigrationFolder {
  name: string;
  script: string;
  /** sha256 hex of migration.sql, as Prisma stores it in _prisma_migrations.checksum. */
  checksum: string;
}

export function checksumOf(script: string): string {
  return createHash("sha256").update(script).digest("hex");
}

/**
 * Prisma accepts a recorded checksum of the file with either line ending
 * (a checkout on Windows may turn LF into CRLF), so do we.
 */
export function matchesChecksum(folder: MigrationFolder, recorded: string): boolean {
  const lf = folder.script.replaceAll("\r\n", "\n");
  return [folder.checksum, checksumOf(lf), checksumOf(lf.replaceAll("\n", "\r\n"))].includes(recorded);
}

/** The migration folders of `migrationsDir`, in the name order Prisma applies them. */
export async function readMigrationFolders(migrationsDir: string): Promise<MigrationFolder[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b)); // Prisma's order (listMigrations)
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, migrationFileName);
      if (!existsSync(file)) throw new Error(`migration folder ${name} has no ${migrationFileName}`);
      const script = await readFile(file, "utf8");
      return { name, script, checksum: checksumOf(script) };
    }),
  );
}
