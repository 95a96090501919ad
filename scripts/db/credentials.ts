import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";

const credentialsSchema = z.object({ user: z.string().min(1), password: z.string().min(16) });
export type Credentials = z.infer<typeof credentialsSchema>;

export function credentialsPath(dataDir: string): string {
  return `${dataDir}.credentials.json`;
}

async function readCredentials(file: string): Promise<Credentials | undefined> {
  try {
    return credentialsSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read database credentials from ${file}: ${(error as Error).message}`);
  }
}

/**
 * Credentials of the embedded cluster's superuser, generated on first use and
 * kept next to the data directory (mode 600) so every later start reuses them.
 */
export async function loadOrCreateCredentials(dataDir: string, clusterExists: boolean): Promise<Credentials> {
  const file = credentialsPath(dataDir);
  const existing = await readCredentials(file);
  if (existing) return existing;
  if (clusterExists) {
    throw new Error(
      `the embedded PostgreSQL cluster at ${dataDir} exists but its credentials file ${file} is missing; ` +
        `delete the cluster (\`tsx scripts/db/embedded.ts stop && rm -rf ${dataDir}\`) to recreate it`,
    );
  }
  const created: Credentials = { user: "keel", password: randomBytes(24).toString("hex") };
  await writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
