import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const defaultDataDir = path.join(repoRoot, ".data", "pg");
export const defaultPort = Number(process.env.KEEL_PG_PORT ?? 55432);
export const defaultSchemaPath = path.join(repoRoot, "prisma", "schema.prisma");
export const defaultMigrationsDir = path.join(repoRoot, "prisma", "migrations");
