// Every change of a run's or a step's state, each in one transaction with its audit row and a
// NOTIFY for the run page. The executing worker's writes are conditional on still holding the run's
// claim (run.workerId): a worker presumed dead that wakes up again cannot overwrite its successor.
import { appendAudit } from "@/lib/audit/append";
import type { AuditActor, AuditInput } from "@/lib/audit/types";
import { db, type Tx } from "@/lib/db";
import type { RunState, RunStepState } from "@/lib/generated/prisma/client";
import { releaseLease } from "./lease";
import type { OutputRow } from "./output";
import { enqueueAdvance } from "./queue";

export type RunHead = {
  id: string;
  clusterId: string | null;
  clusterName: string;
  state: RunState;
  nextStep: number;
  workerId: string | null;
  cancelRequestedAt: Date | null;
  cancelRequestedBy: string | null;
  startedById: string;
  startedByEmail: string;
  startedByRole: string;
};

export class LostClaimError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is no longer claimed by this worker`);
  }
}

const TERMINAL: readonly RunState[] = ["SUCCEEDED", "FAILED", "CANCELLED", "ABORTED"];
export const isTerminal = (state: RunState): boolean => TERMINAL.includes(state);

export function starterOf(run: Pick<RunHead, "startedById" | "startedByEmail" | "startedByRole">): AuditActor {
  return { id: run.startedById, email: run.startedByEmail, role: run.startedByRole };
}

export async function runHead(tx: Tx | typeof db, runId: string, lock = false): Promise<RunHead | null> {
  if (lock) {
    // One round trip: the row, locked for the rest of the transaction.
    // One round trip: the row, locked for the rest of the transaction, and the run page's wake-up
    // (a NOTIFY is only delivered when the transaction commits, so sending it first changes nothing).
    const rows = await tx.$queryRaw<(RunHead & { notified: unknown })[]>`
      SELECT id::text AS id, "clusterId"::text AS "clusterId", "clusterName", state::text AS state, "nextStep", "workerId",
             "cancelRequestedAt", "cancelRequestedBy", "startedById", "startedByEmail", "startedByRole",
             pg_notify('keel_run', id::text)::text AS notified
      FROM run WHERE id = ${runId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row) return null;
    const { notified: _notified, ...head } = row;
    return head;
  }
  return tx.run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      clusterId: true,
      clusterName: true,
      state: true,
      nextStep: true,
      workerId: true,
      cancelRequestedAt: true,
      cancelRequestedBy: true,
      startedById: true,
      startedByEmail: true,
      startedByRole: true,
    },
  });
}

/** The audit row of a run event: on the run's cluster, with the run id in the payload. */
export function runEvent(run: Pick<RunHead, "id" | "clusterId" | "clusterName">, action: string, payload: Record<string, unknown>, extra: Partial<AuditInput> = {}): AuditInput {
  return { action, clusterId: run.clusterId, clusterName: run.clusterName, ...extra, payload: { runId: run.id, ...payload } };
}

type Claimed = { tx: Tx; run: RunHead };

/** Runs `change` with the run row locked, if this worker still holds the claim; else LostClaimError. */
async function asClaimant<T>(runId: string, workerId: string, change: (c: Claimed) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    const run = await runHead(tx, runId, true);
    if (!run || run.workerId !== workerId) throw new LostClaimError(runId);
    return change({ tx, run });
  });
}

export type ClaimOutcome = { claimed: true; run: RunHead } | { claimed: false; reason: string };

/** Takes a RUNNING run for this worker unless a live worker holds it. */
export async function claimRun(runId: string, workerId: string, isLive: (workerId: string) => Promise<boolean>): Promise<ClaimOutcome> {
  return db.$transaction(async (tx) => {
    const run = await runHead(tx, runId, true);
    if (!run) return { claimed: false, reason: "no such run" };
    if (run.state !== "RUNNING") return { claimed: false, reason: `run is ${run.state}` };
    if (run.workerId && run.workerId !== workerId && (await isLive(run.workerId))) return { claimed: false, reason: `held by worker ${run.workerId}` };
    await tx.run.update({ where: { id: runId }, data: { workerId } });
    return { claimed: true, run: { ...run, workerId } };
  });
}

/** Gives the run back to the queue (a draining worker): another worker continues where this one stopped. */
export async function releaseClaim(runId: string, workerId: string): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx }) => {
    await tx.run.update({ where: { id: runId }, data: { workerId: null } });
    await enqueueAdvance(tx, runId);
  });
}

export type StepStart = {
  index: number;
  key: string;
  kind: string;
  title: string;
  hostName: string;
  nodeName: string;
  argv: string[];
  setsRoles?: readonly { node: string; role: string }[];
};

/** The inventory roles a succeeded step established, each change audited with before and after. */
async function recordRoles(tx: Tx, run: RunHead, roles: readonly { node: string; role: string }[]): Promise<void> {
  if (!run.clusterId) return;
  for (const { node, role } of roles) {
    const row = await tx.node.findFirst({ where: { clusterId: run.clusterId, name: node }, select: { id: true, role: true } });
    if (!row || row.role === role) continue;
    await tx.node.update({ where: { id: row.id }, data: { role } });
    await appendAudit(tx, starterOf(run), runEvent(run, "node.role_change", { before: row.role, after: role, bySteps: true }, { nodeId: row.id, nodeName: node }));
  }
}

/** Records a step's start; null when a cancel was asked for since the last step (nothing is started then). */
export async function beginStep(runId: string, workerId: string, step: StepStart, resumed: boolean): Promise<number | null> {
  return asClaimant(runId, workerId, async ({ tx, run }) => {
    if (run.cancelRequestedAt || run.state !== "RUNNING") return null;
    const row = await tx.runStep.update({
      where: { runId_index: { runId, index: step.index } },
      data: { state: "RUNNING", attempts: { increment: 1 }, startedAt: new Date(), finishedAt: null, exitCode: null, durationMs: null, message: "", hostName: step.hostName, nodeName: step.nodeName, argv: step.argv },
      select: { attempts: true },
    });
    await appendAudit(tx, starterOf(run), runEvent(run, "run.step.started", { step: step.index + 1, key: step.key, kind: step.kind, title: step.title, argv: step.argv, attempt: row.attempts, resumed }, { hostName: step.hostName, nodeName: step.nodeName }));
    return row.attempts;
  });
}

export type StepResult = {
  state: Extract<RunStepState, "SUCCEEDED" | "FAILED" | "CANCELLED">;
  exitCode: number | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  message: string;
};

const KEEP_OUTPUT_CHARS = 256 * 1024;
const tail = (text: string) => (text.length > KEEP_OUTPUT_CHARS ? text.slice(-KEEP_OUTPUT_CHARS) : text);

/** Records a step's result; a success moves the run to the next step, a failure or cancel ends it here. */
/** Records a step's result; on success returns the run as the next step finds it, else null (the run ended). */
export async function finishStep(
  runId: string,
  workerId: string,
  step: StepStart,
  result: StepResult,
  help: string | null,
  lastOutput: readonly OutputRow[] = [],
): Promise<RunHead | null> {
  return asClaimant(runId, workerId, async ({ tx, run }) => {
    // One statement: the step's last output, its result, and (on success) the run's next step.
    const next = result.state === "SUCCEEDED" ? step.index + 1 : run.nextStep;
    await tx.$executeRaw`
      WITH output AS (
        INSERT INTO run_output ("runId", "stepIndex", "attempt", "stream", "text")
        SELECT ${runId}::uuid, o."stepIndex", o.attempt, o.stream, o.text
        FROM unnest(${lastOutput.map((o) => o.stepIndex)}::int[], ${lastOutput.map((o) => o.attempt)}::int[], ${lastOutput.map((o) => o.stream)}::text[], ${lastOutput.map((o) => o.text)}::text[])
          AS o("stepIndex", attempt, stream, text)
      ), finished AS (
        UPDATE run_step SET state = ${result.state}::"RunStepState", "finishedAt" = now(), "exitCode" = ${result.exitCode}::int,
          "durationMs" = ${Math.round(result.durationMs)}::int, stdout = ${tail(result.stdout)}, stderr = ${tail(result.stderr)}, message = ${result.message}
        WHERE "runId" = ${runId}::uuid AND index = ${step.index}
      )
      UPDATE run SET "nextStep" = ${next}, "updatedAt" = now() WHERE id = ${runId}::uuid`;
    const actor = starterOf(run);
    await appendAudit(
      tx,
      actor,
      runEvent(run, "run.step.finished", { step: step.index + 1, key: step.key, kind: step.kind, state: result.state, exitCode: result.exitCode, durationMs: Math.round(result.durationMs), message: result.message }, {
        outcome: result.state === "SUCCEEDED" ? "ok" : "failed",
        hostName: step.hostName,
        nodeName: step.nodeName,
      }),
    );
    if (result.state === "SUCCEEDED") {
      await recordRoles(tx, run, step.setsRoles ?? []);
      return { ...run, nextStep: next };
    }
    const cancelled = result.state === "CANCELLED";
    const reason = cancelled
      ? `Cancelled by ${run.cancelRequestedBy ?? "an operator"} during step ${step.index + 1} (${step.title}); the command was killed. The cluster is left as that step left it.${help ? ` ${help}` : ""}`
      : `Step ${step.index + 1} (${step.title}) failed: ${result.message}${help ? ` — ${help}` : ""}`;
    await endRun(tx, run, cancelled ? "CANCELLED" : "FAILED", reason);
    return null;
  });
}

/** Ends a run: terminal state, reason, lease released, audited. */
export async function endRun(tx: Tx, run: RunHead, state: Extract<RunState, "SUCCEEDED" | "FAILED" | "CANCELLED" | "ABORTED">, reason: string, actor?: AuditActor): Promise<void> {
  await tx.run.update({ where: { id: run.id }, data: { state, stateReason: reason, finishedAt: new Date(), workerId: null } });
  await releaseLease(tx, run.id);
  const action = { SUCCEEDED: "run.succeeded", FAILED: "run.failed", CANCELLED: "run.cancelled", ABORTED: "run.aborted" }[state];
  await appendAudit(tx, actor ?? starterOf(run), runEvent(run, action, { reason }, { outcome: state === "SUCCEEDED" ? "ok" : "failed" }));
}

export async function completeRun(runId: string, workerId: string, steps: number): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx, run }) => {
    await endRun(tx, run, "SUCCEEDED", `All ${steps} steps succeeded.`);
  });
}

/** The run stops at a confirm step until a DBA confirms it (or a second DBA approves it). */
export async function waitAtConfirm(runId: string, workerId: string, step: StepStart & { destructive: boolean; text: string }): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx, run }) => {
    await tx.runStep.update({ where: { runId_index: { runId, index: step.index } }, data: { state: "WAITING", startedAt: new Date(), message: step.text } });
    const who = step.destructive ? `a second DBA (not ${run.startedByEmail})` : "a DBA";
    await tx.run.update({ where: { id: runId }, data: { state: "WAITING", workerId: null, stateReason: `Waiting for ${who} to ${step.destructive ? "approve" : "confirm"} step ${step.index + 1}: ${step.title}` } });
    await appendAudit(tx, starterOf(run), runEvent(run, "run.step.waiting", { step: step.index + 1, key: step.key, destructive: step.destructive }));
  });
}

/** A lost worker left an action whose outcome is unknown: stop and ask an operator. */
export async function interruptAtStep(runId: string, workerId: string, step: StepStart): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx, run }) => {
    const message = "The worker was lost while this action ran; whether it took effect is unknown. Check the cluster, then retry it, mark it done, or abort the run.";
    await tx.runStep.update({ where: { runId_index: { runId, index: step.index } }, data: { state: "INTERRUPTED", finishedAt: new Date(), message } });
    await tx.run.update({ where: { id: runId }, data: { state: "INTERRUPTED", workerId: null, stateReason: `Interrupted at step ${step.index + 1} (${step.title}): operator decision needed.` } });
    await appendAudit(tx, starterOf(run), runEvent(run, "run.step.interrupted", { step: step.index + 1, key: step.key, argv: step.argv }, { outcome: "failed", hostName: step.hostName, nodeName: step.nodeName }));
  });
}

/** The run was asked to stop before its next step started. */
export async function cancelBetweenSteps(runId: string, workerId: string): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx, run }) => {
    await endRun(tx, run, "CANCELLED", `Cancelled by ${run.cancelRequestedBy ?? "an operator"} before step ${run.nextStep + 1} started; the cluster is left as the completed steps left it.`);
  });
}

/** Fails the run before a step could start (the plan no longer matches the procedure, a host left the inventory). */
export async function failRun(runId: string, workerId: string, reason: string): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx, run }) => {
    await endRun(tx, run, "FAILED", reason);
  });
}

/** A wait's latest progress line, shown on the run page while it polls. */
export async function recordProgress(runId: string, workerId: string, index: number, message: string): Promise<void> {
  await asClaimant(runId, workerId, async ({ tx }) => {
    await tx.runStep.update({ where: { runId_index: { runId, index } }, data: { message } });
  });
}
