// argv for psql on a PostgreSQL host. Values are validated here; quoting for the remote shell happens
// once, in the SSH layer.
import { z } from "zod";

const hostSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:_-]*$/, "a host name or address");
const userSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$-]*$/, "a PostgreSQL role name");
const pgbinSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9._\/-]*$/, "PGBIN must be an absolute path of plain characters")
  .refine((p) => !p.split("/").includes(".."), "PGBIN must not contain '..'");

export const psqlTargetSchema = z.object({
  /** Omitted: psql connects the host's local way (PGHOST from its login environment, else the Unix socket). */
  host: hostSchema.optional(),
  port: z.number().int().min(1).max(65535),
  user: userSchema.default("postgres"),
  database: userSchema.default("postgres"),
  pgbin: pgbinSchema.optional(),
});
export type PsqlTarget = z.input<typeof psqlTargetSchema>;

/**
 * `psql -X -A -t -v ON_ERROR_STOP=1 [-h HOST] -p PORT -U USER -d DB -c SQL…`, from PGBIN when given. Several
 * statements go as several -c, each its own transaction (ALTER SYSTEM refuses a transaction block).
 */
export function psqlArgv(target: PsqlTarget, sql: string | readonly string[]): { ok: true; argv: string[] } | { ok: false; message: string } {
  const parsed = psqlTargetSchema.safeParse(target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `psql target ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}` };
  }
  const t = parsed.data;
  const psql = t.pgbin ? `${t.pgbin.replace(/\/+$/, "")}/psql` : "psql";
  return {
    ok: true,
    argv: [psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", ...(t.host ? ["-h", t.host] : []), "-p", String(t.port), "-U", t.user, "-d", t.database, ...(typeof sql === "string" ? [sql] : sql).flatMap((c) => ["-c", c])],
  };
}

/** A server node's name is host:port (inventory rule); the host's address and PGPORT are the fallback. */
export function endpointOf(nodeName: string, fallbackHost: string, fallbackPort: number): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(nodeName);
  return m?.[1] && m[2] ? { host: m[1], port: Number(m[2]) } : { host: fallbackHost, port: fallbackPort };
}
