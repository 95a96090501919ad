import type { TestProject } from "vitest/node";
import pg from "pg";
import { applyMigrations } from "../scripts/db/apply-migrations";
import { ensureEmbeddedPostgres } from "../scripts/db/embedded";

export const TEMPLATE_DB = "keel_test_template";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * One real PostgreSQL for the whole run: the embedded server (or the one DATABASE_URL names), with a
 * freshly migrated template database that each integration test file clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<void> {
  const serverUrl = process.env.KEEL_TEST_SERVER_URL ?? process.env.DATABASE_URL ?? (await ensureEmbeddedPostgres()).url;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await applyMigrations(withDatabase(serverUrl, TEMPLATE_DB), "prisma/migrations");
  project.provide("testServerUrl", serverUrl);
}

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string;
  }
}
