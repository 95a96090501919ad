import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { disconnectDb } from "@/lib/db";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("testServerUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Gives this test file a real, migrated database of its own (cloned from the template the global
 * set-up migrated), so files run in parallel without seeing each other's rows.
 */
export function useTestDatabase(): { url: () => string } {
  const name = `keel_t_${randomBytes(6).toString("hex")}`;
  let url = "";
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${inject("testTemplateDb")}`));
    url = withDatabase(inject("testServerUrl"), name);
    process.env.DATABASE_URL = url;
  });
  afterAll(async () => {
    await disconnectDb();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return { url: () => url };
}

/** A raw connection to this file's database, for what the app must never do itself (tampering in tests). */
export async function rawSql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}
