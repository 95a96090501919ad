import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../scripts/db/apply-migrations";
import { ensureEmbeddedPostgres } from "../scripts/db/embedded";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * One real PostgreSQL for the whole run: the embedded server (or the one KEEL_TEST_SERVER_URL /
 * DATABASE_URL names), with a freshly migrated template database of this run's own, which each
 * integration test file clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.KEEL_TEST_SERVER_URL ?? process.env.DATABASE_URL ?? (await ensureEmbeddedPostgres()).url;
  const template = `keel_tpl_${randomBytes(5).toString("hex")}`;
  await admin(serverUrl, `CREATE DATABASE ${template}`);
  await applyMigrations(withDatabase(serverUrl, template), "prisma/migrations");
  project.provide("testServerUrl", serverUrl);
  project.provide("testTemplateDb", template);
  return async () => {
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string;
    testTemplateDb: string;
  }
}
