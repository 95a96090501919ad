// Driving runs to their end in integration tests, as a DBA and a second DBA would: preview, start with
// the previewed parameters, execute in-process, approve each confirm step as the second DBA.
import { randomUUID } from "node:crypto";

import pg from "pg";

import type { PgServer } from "../lab/estate/definition";
import { query } from "../lab/postgres/server";
import type { SessionUser } from "@/lib/auth/session";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { confirmStep } from "@/lib/runs/actions/confirm-step";
import { previewAndStart, type inProcessWorker } from "./runs-lab";

type Worker = Awaited<ReturnType<typeof inProcessWorker>>;
export type StepRow = Awaited<ReturnType<typeof stepsOf>>[number];
export type Outcome = { runId: string; state: string; reason: string; steps: StepRow[] };

export function stepsOf(runId: string) {
  return db.runStep.findMany({ where: { runId }, orderBy: { index: "asc" } });
}

/** A credential row as the inventory stores it (sealed, bound to its id). */
export async function sealedCredential(name: string, kind: "PASSWORD" | "SSH_KEY", secret: string): Promise<string> {
  const id = randomUUID();
  await db.credential.create({ data: { id, name, kind, sealed: seal(JSON.stringify({ secret, passphrase: null }), id) } });
  return id;
}

/** Until the run stops for good: each confirm step is approved by `approver` unless `approve` is false. */
export async function runToEnd(
  o: { starter: SessionUser; approver: SessionUser; worker: Worker; clusterId: string; approve?: boolean },
  procedureId: string,
  params: Record<string, unknown>,
): Promise<Outcome> {
  const runId = await previewAndStart(o.starter, o.clusterId, procedureId, params);
  let state = await o.worker.drive(runId);
  while (state === "WAITING" && o.approve !== false) {
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    const confirmed = await confirmStep.invoke(o.approver, { runId, stepIndex: run.nextStep });
    if (!confirmed.ok) throw new Error(`confirm refused: ${JSON.stringify(confirmed.error)}`);
    state = await o.worker.drive(runId);
  }
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  return { runId, state: run.state, reason: run.stateReason, steps: await stepsOf(runId) };
}

export function expectSucceeded(o: Outcome): void {
  if (o.state !== "SUCCEEDED") {
    const failed = o.steps.find((s) => s.state === "FAILED");
    throw new Error(`run ${o.state}: ${o.reason}\n${failed ? `${failed.key}: ${failed.message}\nstdout: ${failed.stdout}\nstderr: ${failed.stderr}` : ""}`);
  }
}

export function timings(o: Outcome): string {
  return o.steps.map((s) => `${s.key} ${s.durationMs ?? "-"}ms`).join(", ");
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A query on a lab PostgreSQL server over its socket; throws with the server's error. */
export async function sql<R extends pg.QueryResultRow>(s: PgServer, text: string, values: unknown[] = []): Promise<R[]> {
  const r = await query<R>(s, text, values);
  if (!r.ok) throw new Error(`${s.host}: ${r.error}`);
  return r.value;
}
