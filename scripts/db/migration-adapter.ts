import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type pg from "pg";
import { CharAwareClient, withCharColumns } from "./char-columns";
import { dropDatabase, ensureDatabase } from "./pg-admin";

/**
 * A pg config object, never `connectionString`: node-postgres lets a
 * connection string override `database`, which would turn the "shadow"
 * database into the main one.
 */
export function poolConfigFromUrl(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get("sslmode");
  return {
    host: parsed.searchParams.get("host") ?? decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
    Client: CharAwareClient,
  };
}

/**
 * adapter-pg's factory for the schema engine, with its shadow database
 * handled here: adapter-pg 7.10 drops the shadow database while its own pool
 * is still connected, so the DROP fails and the database leaks. We create it,
 * and on dispose close its pool first, then DROP … WITH (FORCE).
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly config: pg.PoolConfig;
  private readonly schema: string | undefined;
  private readonly shadowDatabases = new Set<string>();

  constructor(private readonly url: string) {
    this.config = poolConfigFromUrl(url);
    this.schema = new URL(url).searchParams.get("schema") ?? undefined;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return withCharColumns(await new PrismaPg(this.config, { schema: this.schema }).connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await ensureDatabase(this.url, name);
    this.shadowDatabases.add(name);
    const inner = await new PrismaPg({ ...this.config, database: name }, { schema: this.schema }).connect();
    return withCharColumns(inner, () => this.dropShadow(name));
  }

  /** Drops shadow databases the engine did not dispose of (e.g. after an engine error). */
  async cleanup(): Promise<void> {
    await Promise.all([...this.shadowDatabases].map((name) => this.dropShadow(name)));
  }

  private async dropShadow(name: string): Promise<void> {
    if (!this.shadowDatabases.delete(name)) return;
    await dropDatabase(this.url, name);
  }
}
