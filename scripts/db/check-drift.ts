import path from "node:path";
import { parseArgs } from "node:util";
import { isMainModule, runCli } from "./cli";
import { resolveDatabaseUrl } from "./database-url";
import { loadMigrationList, loadSchema, noFilters } from "./engine-inputs";
import { defaultMigrationsDir, defaultSchemaPath } from "./paths";
import { withSchemaEngine } from "./schema-engine";

export interface DriftCheckOptions {
  /** Any database on the server; only used to create and drop a shadow database. */
  url: string;
  schemaPath?: string;
  migrationsDir?: string;
}

export interface DriftCheckResult {
  inSync: boolean;
  /** SQL that would turn the migrations' database into schema.prisma's; empty when in sync. */
  diffSql: string;
}

/** Do the committed migrations produce exactly the database schema.prisma describes? */
export async function checkDrift(options: DriftCheckOptions): Promise<DriftCheckResult> {
  const migrationsList = await loadMigrationList(path.resolve(options.migrationsDir ?? defaultMigrationsDir));
  const schema = await loadSchema(options.schemaPath ?? defaultSchemaPath);
  return withSchemaEngine(options.url, "diff", async (engine) => {
    const result = await engine.diff({
      // The engine cannot tell the provider of an empty history (no migration_lock.toml yet).
      from: migrationsList.migrationDirectories.length === 0 ? { tag: "empty" } : { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", ...schema },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    // With exitCode: true the engine answers 2 when the diff is not empty.
    return { inSync: result.exitCode === 0, diffSql: result.exitCode === 0 ? "" : (result.stdout ?? "").trim() };
  });
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { schema: { type: "string" }, migrations: { type: "string" } } });
  const result = await checkDrift({
    url: await resolveDatabaseUrl(),
    schemaPath: values.schema,
    migrationsDir: values.migrations,
  });
  if (result.inSync) {
    console.log("in sync: the migrations produce exactly the schema");
    return 0;
  }
  console.error("drift: the schema differs from what the migrations produce. Missing SQL:\n");
  console.error(result.diffSql);
  console.error("\ncreate a migration with: npm run db:migration:create -- NAME");
  return 1;
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
