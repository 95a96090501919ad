import { ensureEmbeddedPostgres } from "./embedded";

/** DATABASE_URL when set, else the embedded server's URL (starting it). */
export async function resolveDatabaseUrl(env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const fromEnv = env["DATABASE_URL"];
  if (fromEnv) return fromEnv;
  return (await ensureEmbeddedPostgres()).url;
}
