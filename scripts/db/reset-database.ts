// Drops and re-creates the database a URL names, then applies every migration: a clean slate for e2e.
import { applyMigrations } from "./apply-migrations";
import { isMainModule, runCli } from "./cli";
import { dropDatabase, ensureDatabase } from "./pg-admin";

export async function resetDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^keel_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to reset "${name}": only keel_* test databases are reset`);
  // Connect to the server's maintenance database: the one being reset may not exist yet.
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  await dropDatabase(maintenance.toString(), name);
  await ensureDatabase(maintenance.toString(), name);
  await applyMigrations(url);
}

if (isMainModule(import.meta.url)) {
  runCli(async () => {
    const url = process.argv[2];
    if (!url) {
      console.error("usage: tsx scripts/db/reset-database.ts DATABASE_URL");
      return 2;
    }
    await resetDatabase(url);
    console.log(`reset ${new URL(url).pathname.slice(1)}`);
    return 0;
  });
}
