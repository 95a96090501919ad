// Executes a run's plan from its next step, committing each step's start and result before moving
// on. Resuming after a lost worker: a read-only step (precheck, verify, wait-until) left RUNNING is
// simply run again; an action left RUNNING has an unknown outcome and is never repeated by itself —
// the run stops as INTERRUPTED for an operator to retry, mark done or abort.
import { setTimeout as sleep } from "node:timers/promises";

import { db } from "@/lib/db";
import { findProcedure } from "../catalog";
import { loadRunContext } from "../context";
import { describeProgress, evaluateProbe, probesForPlan } from "../evaluate";
import { planSchema, type Plan, type PlanStep } from "../plan-schema";
import { TargetCache } from "@/lib/remote/target-cache";
import { OutputSink } from "./output";
import { lastLines, probeOutput, runRemote, stdinFor, type RemoteStepScope } from "./remote-step";
import {
  beginStep,
  cancelBetweenSteps,
  claimRun,
  completeRun,
  failRun,
  finishStep,
  interruptAtStep,
  LostClaimError,
  recordProgress,
  releaseClaim,
  starterOf,
  waitAtConfirm,
  type RunHead,
  type StepResult,
  type StepStart,
} from "./transitions";

/** Where a test may stop the worker dead (SIGKILL) to prove recovery: around each step's commits. */
export type CrashPoint = "before-start" | "after-start" | "after-exec" | "after-finish";

export type WorkerHandle = {
  id: string;
  /** True once the worker is shutting down: finish the current step, then hand the run back. */
  draining: () => boolean;
  isLive: (workerId: string) => Promise<boolean>;
  at?: (point: CrashPoint, stepIndex: number) => void;
};

const CANCEL_POLL_MS = 200;
const FIRST_REPOLL_MS = 250;

type Execution = {
  run: RunHead;
  plan: Plan;
  worker: WorkerHandle;
  hostIds: ReadonlyMap<string, string>;
  byKey: ReturnType<typeof probesByKey>;
  targets: TargetCache;
};

function probesByKey(plan: Plan) {
  const procedure = findProcedure(plan.procedureId);
  if (!procedure) return { ok: false as const, message: `procedure ${plan.procedureId} is not known to this version of Keel` };
  return probesForPlan(procedure, plan);
}

// Runs this process is executing: a second job for the same run (a re-enqueue racing the first) must
// not pass the claim, which only tells processes apart.
const executing = new Set<string>();

export async function advanceRun(runId: string, worker: WorkerHandle): Promise<void> {
  if (executing.has(runId)) return;
  executing.add(runId);
  try {
    const claim = await claimRun(runId, worker.id, worker.isLive);
    if (!claim.claimed) return;
    await execute(claim.run, worker);
  } catch (error) {
    if (error instanceof LostClaimError) return;
    if (error instanceof DrainDuringWait) return await releaseClaim(runId, worker.id);
    throw error;
  } finally {
    executing.delete(runId);
  }
}

async function execute(claimed: RunHead, worker: WorkerHandle): Promise<void> {
  const runId = claimed.id;
  const stored = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { plan: true, clusterId: true } });
  const parsedPlan = planSchema.safeParse(stored.plan);
  if (!parsedPlan.success) return failRun(runId, worker.id, "The stored plan cannot be read by this version of Keel.");
  const plan = parsedPlan.data;
  const byKey = probesByKey(plan);
  const context = stored.clusterId ? await loadRunContext(stored.clusterId) : null;
  if (!context) return failRun(runId, worker.id, "The cluster no longer exists in the inventory.");
  const targets = new TargetCache();

  // Each step's result transaction hands back the run as the next step finds it; only the first step
  // after a claim asks whether a lost worker left it running.
  let run: RunHead | null = claimed;
  let first = true;
  while (run) {
    if (run.workerId !== worker.id || run.state !== "RUNNING") return;
    if (run.cancelRequestedAt) return cancelBetweenSteps(runId, worker.id);
    if (worker.draining()) return releaseClaim(runId, worker.id);
    const step = plan.steps[run.nextStep];
    if (!step) return completeRun(runId, worker.id, plan.steps.length);
    const leftRunning = first && (await db.runStep.findUniqueOrThrow({ where: { runId_index: { runId, index: step.index } }, select: { state: true } })).state === "RUNNING";
    first = false;
    run = await executeStep({ run, plan, worker, hostIds: context.hostIds, byKey, targets }, step, leftRunning);
  }
}

function startOf(step: PlanStep): StepStart {
  const remote = "host" in step ? step : null;
  return {
    index: step.index,
    key: step.key,
    kind: step.kind,
    title: step.title,
    hostName: remote?.host.hostName ?? "",
    nodeName: remote?.host.nodeName ?? "",
    argv: remote?.argv ?? [],
    setsRoles: step.kind === "action" ? step.setsRoles : [],
  };
}

/** Executes one step; the run's head for the next step, or null when the run stops here (waiting, interrupted, ended). */
async function executeStep(exec: Execution, step: PlanStep, leftRunning: boolean): Promise<RunHead | null> {
  const { run, worker } = exec;
  const start = startOf(step);
  if (step.kind === "confirm") {
    await waitAtConfirm(run.id, worker.id, { ...start, destructive: step.destructive, text: step.text });
    return null;
  }
  if (leftRunning && step.kind === "action") {
    await interruptAtStep(run.id, worker.id, start);
    return null;
  }
  worker.at?.("before-start", step.index);
  const attempt = await beginStep(run.id, worker.id, start, leftRunning);
  if (attempt === null) {
    await cancelBetweenSteps(run.id, worker.id);
    return null;
  }
  worker.at?.("after-start", step.index);
  const sink = new OutputSink(run.id, step.index, attempt);
  if (leftRunning) sink.write("event", "Resumed after the previous worker was lost; this step only reads, so it runs again.\n");
  const result = await runStep(exec, step, sink);
  const lastOutput = await sink.close();
  worker.at?.("after-exec", step.index);
  const next = await finishStep(run.id, worker.id, start, result, result.state === "SUCCEEDED" ? null : step.help, lastOutput);
  worker.at?.("after-finish", step.index);
  return next;
}

/** Polls the run's cancel request while a command runs; aborting kills the remote command. */
function cancelWatch(runId: string): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  let stopped = false;
  const tick = async () => {
    while (!stopped) {
      await sleep(CANCEL_POLL_MS);
      if (stopped) return;
      const row = await db.run.findUnique({ where: { id: runId }, select: { cancelRequestedAt: true } }).catch(() => null);
      if (row?.cancelRequestedAt) {
        controller.abort();
        return;
      }
    }
  };
  void tick();
  return { signal: controller.signal, stop: () => void (stopped = true) };
}

async function runStep(exec: Execution, step: Exclude<PlanStep, { kind: "confirm" }>, sink: OutputSink): Promise<StepResult> {
  const started = performance.now();
  const failed = (message: string, output?: { exitCode: number | null; stdout: string; stderr: string }): StepResult => ({
    state: "FAILED",
    exitCode: output?.exitCode ?? null,
    durationMs: performance.now() - started,
    stdout: output?.stdout ?? "",
    stderr: output?.stderr ?? "",
    message,
  });
  const hostId = exec.hostIds.get(step.host.hostName);
  if (!hostId) return failed(`host ${step.host.hostName} is no longer part of this cluster's inventory`);
  const stdin = await stdinFor(step.stdin);
  if (!stdin.ok) return failed(stdin.message);
  const scope: RemoteStepScope = {
    runId: exec.run.id,
    stepNumber: step.index + 1,
    actor: starterOf(exec.run),
    clusterId: exec.run.clusterId,
    clusterName: exec.run.clusterName,
    nodeName: step.host.nodeName ?? "",
    hostId,
  };
  const watch = cancelWatch(exec.run.id);
  try {
    if (step.kind === "wait-until") return await waitUntil(exec, step, scope, stdin.stdin, sink, watch.signal, started);
    const result = await runRemote(scope, step.argv, { timeoutMs: step.timeoutMs, signal: watch.signal, stdin: stdin.stdin, sink, targets: exec.targets });
    const durationMs = performance.now() - started;
    if (!result.ok && result.kind === "cancelled") {
      return { state: "CANCELLED", exitCode: result.exitCode, durationMs, stdout: result.stdout, stderr: result.stderr, message: result.message };
    }
    if (step.kind === "action") {
      if (result.ok) return { state: "SUCCEEDED", exitCode: result.exitCode, durationMs, stdout: result.stdout, stderr: result.stderr, message: "" };
      const detail = lastLines(result.stdout.includes("[ERROR]") ? result.stdout : result.stderr || result.stdout);
      return failed(detail ? `${result.message}\n${detail}` : result.message, result);
    }
    const answer = probeOutput(result);
    if (!answer.ok) return failed(answer.message, result);
    if (!exec.byKey.ok) return failed(exec.byKey.message, answer.output);
    const bound = exec.byKey.byKey.get(step.key);
    if (!bound) return failed(`the procedure has no check for step ${step.key}`, answer.output);
    const verdict = evaluateProbe(bound, answer.output);
    return verdict.ok
      ? { state: "SUCCEEDED", ...answer.output, durationMs, message: verdict.note ?? "check passed" }
      : failed(verdict.reason, answer.output);
  } finally {
    watch.stop();
  }
}

async function waitUntil(
  exec: Execution,
  step: Extract<PlanStep, { kind: "wait-until" }>,
  scope: RemoteStepScope,
  stdin: string | undefined,
  sink: OutputSink,
  signal: AbortSignal,
  started: number,
): Promise<StepResult> {
  if (!exec.byKey.ok) return { state: "FAILED", exitCode: null, durationMs: 0, stdout: "", stderr: "", message: exec.byKey.message };
  const bound = exec.byKey.byKey.get(step.key);
  if (!bound) return { state: "FAILED", exitCode: null, durationMs: 0, stdout: "", stderr: "", message: `the procedure has no condition for step ${step.key}` };
  const deadline = Date.now() + step.timeoutMs;
  let lastOutput = "";
  let lastProgress = "";
  let polls = 0;
  let last = { exitCode: null as number | null, stdout: "", stderr: "" };
  for (;;) {
    polls += 1;
    // Polls stream only when the output changes: a page shows each state the cluster passes through once.
    const result = await runRemote(scope, step.argv, { timeoutMs: step.probeTimeoutMs, signal, stdin, sink: null, targets: exec.targets });
    const durationMs = performance.now() - started;
    if (!result.ok && result.kind === "cancelled") return { state: "CANCELLED", ...last, durationMs, message: `cancelled after ${polls} poll(s); last: ${lastProgress}` };
    const answer = probeOutput(result);
    let progress: string;
    if (answer.ok) {
      last = answer.output;
      if (answer.output.stdout !== lastOutput) {
        sink.write("stdout", `--- ${new Date().toISOString()}\n${answer.output.stdout}`);
        lastOutput = answer.output.stdout;
      }
      const verdict = evaluateProbe(bound, answer.output);
      if (verdict.ok) return { state: "SUCCEEDED", ...answer.output, durationMs, message: verdict.note ?? `condition held after ${polls} poll(s)` };
      progress = describeProgress(bound, answer.output);
    } else {
      // A host that drops mid-wait is retried until the wait's own deadline.
      progress = `no answer: ${answer.message}`;
    }
    if (progress !== lastProgress) {
      sink.write("progress", `${progress}\n`);
      await recordProgress(exec.run.id, exec.worker.id, step.index, progress);
      lastProgress = progress;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      return { state: "FAILED", ...last, durationMs, message: `timed out after ${Math.round(step.timeoutMs / 1000)} s; last: ${progress}` };
    }
    if (exec.worker.draining()) throw new DrainDuringWait();
    try {
      // Quick re-polls first (a node often answers within a second), backing off to the step's interval.
      await sleep(Math.min(step.pollMs, FIRST_REPOLL_MS * 2 ** (polls - 1), remaining), undefined, { signal });
    } catch {
      return { state: "CANCELLED", ...last, durationMs: performance.now() - started, message: `cancelled while waiting; last: ${progress}` };
    }
  }
}

/** A draining worker leaves a wait mid-way: the step stays RUNNING and the next worker polls again. */
export class DrainDuringWait extends Error {}
