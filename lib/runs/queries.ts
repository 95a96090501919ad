// What run pages and the API read. Every answer is parsed back through its schema, so a column
// added to a table later never leaks to a browser by accident.
import { z } from "zod";

import { db } from "@/lib/db";
import { planSchema } from "./plan-schema";

const runStateSchema = z.enum(["RUNNING", "WAITING", "INTERRUPTED", "SUCCEEDED", "FAILED", "CANCELLED", "ABORTED"]);
const stepStateSchema = z.enum(["PENDING", "RUNNING", "WAITING", "SUCCEEDED", "FAILED", "INTERRUPTED", "CANCELLED", "MARKED_DONE", "SKIPPED"]);
const iso = z.date().transform((d) => d.toISOString());

export const runSummarySchema = z.object({
  id: z.string(),
  clusterId: z.string().nullable(),
  clusterName: z.string(),
  procedureId: z.string(),
  title: z.string(),
  mutating: z.boolean(),
  state: runStateSchema,
  stateReason: z.string(),
  nextStep: z.number(),
  startedByEmail: z.string(),
  createdAt: iso,
  finishedAt: iso.nullable(),
});
export type RunSummary = z.output<typeof runSummarySchema>;

export const runStepViewSchema = z.object({
  index: z.number(),
  key: z.string(),
  kind: z.string(),
  title: z.string(),
  hostName: z.string(),
  nodeName: z.string(),
  argv: z.array(z.string()),
  state: stepStateSchema,
  attempts: z.number(),
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  exitCode: z.number().nullable(),
  durationMs: z.number().nullable(),
  message: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: iso.nullable(),
  decision: z.string().nullable(),
});

export const runViewSchema = runSummarySchema.extend({
  planDigest: z.string(),
  plan: planSchema,
  startedById: z.string(),
  cancelRequestedBy: z.string().nullable(),
  steps: z.array(runStepViewSchema),
});
export type RunView = z.output<typeof runViewSchema>;

export const runOutputSchema = z.object({
  id: z.bigint().transform((v) => v.toString()),
  stepIndex: z.number(),
  attempt: z.number(),
  stream: z.string(),
  text: z.string(),
  at: iso,
});
export type RunOutputLine = z.output<typeof runOutputSchema>;

export async function listRuns(filter: { clusterId?: string; limit?: number } = {}): Promise<RunSummary[]> {
  const rows = await db.run.findMany({
    where: filter.clusterId ? { clusterId: filter.clusterId } : {},
    orderBy: { createdAt: "desc" },
    take: Math.min(filter.limit ?? 100, 500),
  });
  return z.array(runSummarySchema).parse(rows);
}

export async function getRunView(runId: string): Promise<RunView | null> {
  const row = await db.run.findUnique({ where: { id: runId }, include: { steps: { orderBy: { index: "asc" } } } });
  return row ? runViewSchema.parse(row) : null;
}

/** Output after `afterId` (exclusive), oldest first; "0" replays everything. */
export async function runOutputSince(runId: string, afterId: string, limit = 2000): Promise<RunOutputLine[]> {
  const rows = await db.runOutput.findMany({
    where: { runId, id: { gt: BigInt(afterId) } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return z.array(runOutputSchema).parse(rows);
}

/** The run each cluster is busy with (running, waiting for a person, or interrupted), newest first. */
export async function activeRunsByCluster(): Promise<Map<string, RunSummary>> {
  const rows = await db.run.findMany({
    where: { state: { in: ["RUNNING", "WAITING", "INTERRUPTED"] }, clusterId: { not: null } },
    orderBy: { createdAt: "desc" },
  });
  const byCluster = new Map<string, RunSummary>();
  for (const run of z.array(runSummarySchema).parse(rows)) if (run.clusterId && !byCluster.has(run.clusterId)) byCluster.set(run.clusterId, run);
  return byCluster;
}
