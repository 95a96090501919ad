import { db } from "@/lib/db";
import { type ClusterObservation, clusterObservationSchema, type Health } from "./types";

export type LatestState = { at: string; health: Health; reason: string; observation: ClusterObservation; durationMs: number } | null;

export async function latestState(clusterId: string): Promise<LatestState> {
  const row = await db.statusSample.findFirst({ where: { clusterId }, orderBy: { at: "desc" } });
  if (!row) return null;
  const observation = clusterObservationSchema.parse(row.observation);
  return { at: row.at.toISOString(), health: observation.health, reason: row.reason, observation, durationMs: row.durationMs };
}

/** Each cluster's latest health, with nodes up/total (a node counts as up when it shows no mismatch). */
export async function latestHealthByCluster(): Promise<Map<string, { at: string; health: Health; reason: string; up: number; total: number }>> {
  const rows = await db.$queryRaw<{ clusterId: string; at: Date; health: string; reason: string; up: number; total: number }[]>`
    SELECT DISTINCT ON ("clusterId") "clusterId", at, health, reason,
      (SELECT count(*)::int FROM jsonb_array_elements(observation->'nodes') n WHERE (n->>'mismatch')::boolean IS NOT TRUE) AS up,
      jsonb_array_length(observation->'nodes') AS total
    FROM status_sample ORDER BY "clusterId", at DESC`;
  return new Map(rows.map((r) => [r.clusterId, { at: r.at.toISOString(), health: r.health as Health, reason: r.reason, up: r.up, total: r.total }]));
}

/** 24 h of health per cluster in 96 buckets of 15 minutes: the worst state seen in each bucket. */
export async function healthHistory(hours = 24, buckets = 96): Promise<Map<string, (Health | null)[]>> {
  const since = new Date(Date.now() - hours * 3600_000);
  const bucketMs = (hours * 3600_000) / buckets;
  const rows = await db.$queryRaw<{ clusterId: string; bucket: number; worst: number }[]>`
    SELECT "clusterId", floor(extract(epoch FROM (at - ${since}::timestamptz)) * 1000 / ${bucketMs})::int AS bucket,
      max(CASE health WHEN 'down' THEN 3 WHEN 'degraded' THEN 2 WHEN 'unknown' THEN 1 ELSE 0 END)::int AS worst
    FROM status_sample WHERE at >= ${since} GROUP BY 1, 2`;
  const names: Health[] = ["healthy", "unknown", "degraded", "down"];
  const out = new Map<string, (Health | null)[]>();
  for (const r of rows) {
    const series = out.get(r.clusterId) ?? Array.from({ length: buckets }, () => null);
    if (r.bucket >= 0 && r.bucket < buckets) series[r.bucket] = names[r.worst] ?? null;
    out.set(r.clusterId, series);
  }
  return out;
}
