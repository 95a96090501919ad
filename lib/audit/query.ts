import { z } from "zod";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a date/time" });
      return z.NEVER;
    }
    return d;
  });

export const auditFilterSchema = z.object({
  actor: optionalText,
  action: optionalText,
  cluster: optionalText,
  from: optionalDate,
  to: optionalDate,
  /** Keyset cursor: return events with an id below this one (pages go newest to oldest). */
  before: z
    .string()
    .regex(/^\d+$/, "not an event id")
    .optional()
    .transform((v) => (v ? BigInt(v) : undefined)),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function auditWhere(f: Omit<AuditFilter, "limit" | "before"> & { before?: bigint }): Prisma.AuditEventWhereInput {
  return {
    ...(f.actor ? { actorEmail: f.actor } : {}),
    // "run." matches every run event; a full name matches one action.
    ...(f.action ? (f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action }) : {}),
    ...(f.cluster ? { clusterName: f.cluster } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    ...(f.before !== undefined ? { id: { lt: f.before } } : {}),
  };
}

export const auditEventView = z.object({
  id: z.bigint().transform(String),
  at: z.date().transform((d) => d.toISOString()),
  actorEmail: z.string(),
  actorRole: z.string(),
  action: z.string(),
  outcome: z.string(),
  clusterId: z.string().nullable(),
  clusterName: z.string(),
  hostId: z.string().nullable(),
  hostName: z.string(),
  nodeName: z.string(),
  payload: z.unknown(),
  hash: z.string(),
});
export type AuditEventView = z.output<typeof auditEventView>;

/** One page, newest first, plus the cursor for the next page (null when this is the last). */
export async function listAuditEvents(filter: AuditFilter): Promise<{ events: AuditEventView[]; nextBefore: string | null }> {
  const rows = await db.auditEvent.findMany({
    where: auditWhere(filter),
    orderBy: { id: "desc" },
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit).map((r) => auditEventView.parse(r));
  const last = page.at(-1);
  return { events: page, nextBefore: rows.length > filter.limit && last ? last.id : null };
}

/** Every matching event, oldest first, fetched in batches so an export never holds the table in memory. */
export async function* iterateAuditEvents(filter: Omit<AuditFilter, "before" | "limit">): AsyncGenerator<AuditEventView> {
  let afterId = -1n;
  const where = auditWhere(filter);
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { AND: [where, { id: { gt: afterId } }] }, orderBy: { id: "asc" }, take: 1000 });
    if (rows.length === 0) return;
    for (const r of rows) yield auditEventView.parse(r);
    afterId = rows.at(-1)!.id;
  }
}

const DISTINCT_COLUMNS = { action: '"action"', actor: '"actorEmail"', cluster: '"clusterName"' } as const;

/**
 * Distinct values of an indexed column by a loose index scan (one index probe per distinct value),
 * so the filter lists stay fast however long the log grows.
 */
async function distinctValues(column: keyof typeof DISTINCT_COLUMNS): Promise<string[]> {
  const col = Prisma.raw(DISTINCT_COLUMNS[column]);
  const rows = await db.$queryRaw<{ v: string | null }[]>`
    WITH RECURSIVE walk AS (
      SELECT min(${col}) AS v FROM audit_event WHERE ${col} <> ''
      UNION ALL
      SELECT (SELECT min(${col}) FROM audit_event WHERE ${col} > walk.v) FROM walk WHERE walk.v IS NOT NULL
    )
    SELECT v FROM walk WHERE v IS NOT NULL`;
  return rows.map((r) => r.v as string);
}

export async function distinctAuditValues(): Promise<{ actions: string[]; actors: string[]; clusters: string[] }> {
  const [actions, actors, clusters] = await Promise.all([distinctValues("action"), distinctValues("actor"), distinctValues("cluster")]);
  return { actions, actors, clusters };
}
