import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "./apply-migrations";
import { isMainModule, runCli } from "./cli";
import { resolveDatabaseUrl } from "./database-url";
import { loadMigrationList, loadSchema, lockFileContent, noFilters } from "./engine-inputs";
import { lockFileName, migrationFileName } from "./migrations-dir";
import { dropDatabase, ensureDatabase, withDatabase } from "./pg-admin";
import { defaultMigrationsDir, defaultSchemaPath } from "./paths";
import { withSchemaEngine } from "./schema-engine";

export interface CreateMigrationOptions {
  url: string;
  name: string;
  schemaPath?: string;
  migrationsDir?: string;
}

export interface CreateMigrationResult {
  /** Folder name (`<timestamp>_<name>`), or undefined when schema and migrations agree. */
  migrationName: string | undefined;
}

/** Prisma's CLI slugifies `--name` (lowercase, camelCase split, "_" separator, 200 chars). */
export function normaliseName(name: string): string {
  const slug = name
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z\d]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug) throw new Error(`migration name ${JSON.stringify(name)} has no letters or digits`);
  return slug;
}

/**
 * Writes the next migration (what `prisma migrate dev --create-only` would),
 * computed by the wasm schema engine from the migrations folder and schema.
 *
 * The engine's createMigration only works when its main database has every
 * migration applied: it reuses the migrations' schema that devDiagnostic
 * cached for the applied ones. Rather than touching the developer's database,
 * we apply the migrations to a scratch database on the same server and point
 * the engine at that; it is dropped afterwards.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const migrationsDir = path.resolve(options.migrationsDir ?? defaultMigrationsDir);
  const schema = await loadSchema(options.schemaPath ?? defaultSchemaPath);
  const migrationName = normaliseName(options.name);
  const scratch = `keel_migrate_${randomUUID().replaceAll("-", "")}`;
  await ensureDatabase(options.url, scratch);
  try {
    const scratchUrl = withDatabase(options.url, scratch);
    await applyMigrations(scratchUrl, migrationsDir);
    const migrationsList = await loadMigrationList(migrationsDir);
    return await withSchemaEngine(scratchUrl, "createMigration", async (engine) => {
      // Fills the engine's cache createMigration needs; without it: "shadow DB must be provided through an external factory".
      await engine.devDiagnostic({ migrationsList, filters: noFilters });
      const created = await engine.createMigration({ draft: false, migrationName, migrationsList, schema, filters: noFilters });
      if (created.migrationScript === null) return { migrationName: undefined };
      const folder = path.join(migrationsDir, created.generatedMigrationName);
      if (existsSync(folder)) throw new Error(`migration directory ${folder} already exists`);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `migration.${created.extension}`), created.migrationScript, "utf8");
      await writeFile(path.join(migrationsDir, lockFileName), lockFileContent(created.connectorType), "utf8");
      return { migrationName: created.generatedMigrationName };
    });
  } finally {
    await dropDatabase(options.url, scratch);
  }
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { schema: { type: "string" }, migrations: { type: "string" } },
  });
  const name = positionals[0];
  if (!name || positionals.length > 1) {
    console.error("usage: npm run db:migration:create -- NAME [--schema PATH] [--migrations DIR]");
    return 2;
  }
  const result = await createMigration({
    url: await resolveDatabaseUrl(),
    name,
    schemaPath: values.schema,
    migrationsDir: values.migrations,
  });
  if (!result.migrationName) {
    console.log("no changes: the schema matches the migrations; nothing created");
    return 0;
  }
  console.log(`created ${path.join(values.migrations ?? "prisma/migrations", result.migrationName, migrationFileName)}`);
  console.log("apply it with: npm run db:migrate");
  return 0;
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
