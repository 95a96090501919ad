// Kill -9 the run worker at every step boundary of the scrapped-warehouse recovery (issue 4): real
// worker processes on the lab's Machbase cluster, each started with KEEL_WORKER_CRASH_AT so it
// SIGKILLs itself at one point of one step; then a worker picks the run up again and the test plays
// the operator (approves the destructive step, decides interrupted actions from what the simulator
// shows) until the run completes. Checked: no action executed twice (the simulator's invocation log
// and the ssh.exec audit rows), no audit event lost (the chain verifies and every step's start and
// result has its row), every run ends succeeded or interrupted-with-decision, and an action whose
// worker died after its start was committed always stopped as INTERRUPTED instead of re-running.
//
// One worker process per scenario: scenarios run in descending step order, so the process started to
// crash scenario k+1 (at a lower step) first resumes scenario k's run — which only executes steps at
// or after k's crash step — and is then the crash worker of k+1. Where the order climbs back up (the
// next crash point), a plain worker finishes the pending run first. The next process is started while
// the current one still executes its (approved) run, so its start-up overlaps the run; once the crash
// comes, the test runs the dead-worker sweep a live worker runs every 6 s (sweepDeadWorkers) at once.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";

import { killNode } from "../lab/faults/machbase";
import { INVOCATION_LOG } from "../lab/sim/machbase/cli";
import { ClusterStateSchema, type ClusterState } from "../lab/sim/machbase/model";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { confirmStep } from "@/lib/runs/actions/confirm-step";
import { decideRun } from "@/lib/runs/actions/decide-run";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import type { CrashPoint } from "@/lib/runs/engine/advance";
import { sweepDeadWorkers } from "@/lib/runs/engine/workers";
import type { Plan, PlanStep } from "@/lib/runs/plan-schema";
import { useTestDatabase } from "./db";
import { makeUser } from "./factories";
import { startMachbaseLab, type MachbaseLab } from "./runs-lab";
import { bundleWorker, spawnWorker, type WorkerExit, type WorkerProcess } from "./worker-process";

const database = useTestDatabase();

const SCALE = 0.002;
const PROCEDURE = "machbase.scrapped-warehouse-recovery";
const NODE = "127.0.0.218:5401";
const GROUP = "group1";
const PARAMS = { node: NODE, restartNode: true };
const POINTS: readonly CrashPoint[] = ["before-start", "after-start", "after-exec", "after-finish"];
const simEnv = { env: { KEEL_LAB_TIME_SCALE: String(SCALE) } };

let lab: MachbaseLab;
let dba: Awaited<ReturnType<typeof makeUser>>;
let dba2: Awaited<ReturnType<typeof makeUser>>;
let script: string;
let plan: Plan;
let queue: WorkerUtils;
const started = new Set<WorkerProcess>();

type RemoteStep = Exclude<PlanStep, { kind: "confirm" }>;
type Scenario = { step: RemoteStep; point: CrashPoint; label: string };
type Decision = { index: number; decision: "retry" | "mark-done" };
type Outcome = { scenario: Scenario; runId: string; crash: WorkerExit; decisions: Decision[]; logFrom: number; logTo: number; crashWorker: string };

const outcomes: Outcome[] = [];

beforeAll(async () => {
  lab = await startMachbaseLab({ name: "t-runs-crash", firstAddress: 218, port: 2218, timeScale: SCALE });
  dba = await makeUser("DBA");
  dba2 = await makeUser("DBA");
  queue = await makeWorkerUtils({ connectionString: database.url() });
  script = await bundleWorker(path.join(process.cwd(), "lab", ".run", "t-runs-crash-worker"));
  // The plan as the wizard shows it (prechecks may fail now: nothing is scrapped yet).
  const preview = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: PROCEDURE, params: PARAMS });
  if (!preview.ok) throw new Error(`preview refused: ${JSON.stringify(preview.error)}`);
  plan = preview.value.plan;
}, 120_000);

afterAll(async () => {
  for (const worker of started) if (!worker.exit()) await worker.stop(5_000);
  await queue?.release();
  await lab?.stop();
});

// ---- helpers ----------------------------------------------------------------------------------------

// Several jobs per process, as in production: a second `run.advance` job for the same run (graphile-worker
// inserts a new job when add_job meets a locked one with the same key, e.g. the sweep's requeue racing the
// runner's pick-up of the force-unlocked job) must not execute a step again in the same process
// (lib/runs/engine/advance.ts keeps the runs a process is executing).
const CONCURRENCY = Number(process.env.KEEL_TEST_WORKER_CONCURRENCY ?? 4);

function worker(crashAt?: string): WorkerProcess {
  const w = spawnWorker(script, { databaseUrl: database.url(), concurrency: CONCURRENCY, ...(crashAt ? { crashAt } : {}) });
  started.add(w);
  return w;
}

/** Polls `probe` until it returns a value; fails with `what` at the deadline. */
async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function invocations(): string[][] {
  const file = path.join(lab.stateDir, INVOCATION_LOG);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => z.object({ argv: z.array(z.string()) }).parse(JSON.parse(line)).argv);
}

const sameArgv = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function simState(): ClusterState {
  return ClusterStateSchema.parse(JSON.parse(readFileSync(path.join(lab.stateDir, "state.json"), "utf8")));
}

/** What an operator checks on the cluster before deciding an interrupted action: did it take effect? */
function tookEffect(stepId: string, state: ClusterState): { effect: boolean; evidence: string } {
  const node = state.nodes.find((n) => n.name === NODE);
  if (!node) throw new Error(`${NODE} is not in the simulated cluster`);
  const syncing = state.events.some((e) => (e.kind === "sync-start" || e.kind === "sync-done") && e.node === NODE);
  switch (stepId) {
    case "set-readonly":
      return { effect: state.readonlyFlags[GROUP] === true, evidence: `${GROUP} readonly flag: ${String(state.readonlyFlags[GROUP] ?? false)}` };
    case "startup-node":
      return { effect: node.process !== "down", evidence: `${NODE} process: ${node.process}` };
    case "snapshot-recover":
      return { effect: node.snapshotRecovered, evidence: `${NODE} recovered from its snapshot: ${String(node.snapshotRecovered)}` };
    case "exec-sync":
      return { effect: syncing || node.desired !== "scrapped", evidence: `${NODE} desired ${node.desired}, sync scheduled: ${String(syncing)}` };
    case "set-normal":
      return { effect: state.readonlyFlags[GROUP] !== true, evidence: `${GROUP} readonly flag: ${String(state.readonlyFlags[GROUP] ?? false)}` };
    default:
      throw new Error(`no effect check for action ${stepId}`);
  }
}

async function approve(runId: string, stepIndex: number): Promise<void> {
  const result = await confirmStep.invoke(dba2, { runId, stepIndex });
  if (!result.ok) throw new Error(`approval of step ${stepIndex + 1} refused: ${result.error.message}`);
}

async function decide(outcome: Outcome, index: number): Promise<void> {
  const step = plan.steps[index];
  const row = await db.runStep.findUniqueOrThrow({ where: { runId_index: { runId: outcome.runId, index } } });
  if (!step || step.kind !== "action" || row.state !== "INTERRUPTED") {
    throw new Error(`${outcome.scenario.label}: interrupted at step ${index + 1} (${step?.kind ?? "?"}, ${row.state}); only an action may be`);
  }
  const { effect, evidence } = tookEffect(step.stepId, simState());
  const decision = effect ? "mark-done" : "retry";
  const result = await decideRun.invoke(dba2, { runId: outcome.runId, decision, note: effect ? `checked the cluster: ${evidence}` : "" });
  if (!result.ok) throw new Error(`${outcome.scenario.label}: decision ${decision} refused: ${result.error.message}`);
  outcome.decisions.push({ index, decision });
}

/** Drives a crashed run to completion on `w`: approves, decides, polls the database until SUCCEEDED. */
async function finish(outcome: Outcome, w: WorkerProcess): Promise<void> {
  await until(`${outcome.scenario.label}: run ${outcome.runId} succeeds`, 60_000, async () => {
    if (w.exit()) throw new Error(`${outcome.scenario.label}: the resuming worker exited ${JSON.stringify(w.exit())}:\n${w.output()}`);
    const run = await db.run.findUniqueOrThrow({ where: { id: outcome.runId } });
    switch (run.state) {
      case "SUCCEEDED":
        return run;
      case "RUNNING":
        return undefined;
      case "WAITING":
        await approve(run.id, run.nextStep);
        return undefined;
      case "INTERRUPTED":
        await decide(outcome, run.nextStep);
        return undefined;
      default:
        throw new Error(`${outcome.scenario.label}: the run ended ${run.state}: ${run.stateReason}`);
    }
  });
  outcome.logTo = invocations().length;
}

/** Scrapped warehouse, preview + start, run on `w` until `w` kills itself at the scenario's point. */
async function crash(scenario: Scenario, w: WorkerProcess, prespawn: () => void): Promise<Outcome> {
  const logFrom = invocations().length;
  expect(killNode(lab.stateDir, NODE, simEnv), scenario.label).toMatchObject({ ok: true });
  const preview = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: PROCEDURE, params: PARAMS });
  if (!preview.ok) throw new Error(`${scenario.label}: preview refused: ${JSON.stringify(preview.error)}`);
  expect(preview.value.prechecks.filter((p) => !p.ok), scenario.label).toEqual([]);
  const start = await startRun.invoke(dba, { clusterId: lab.clusterId, procedureId: PROCEDURE, params: PARAMS, planDigest: preview.value.digest });
  if (!start.ok) throw new Error(`${scenario.label}: start refused: ${JSON.stringify(start.error)}`);
  const runId = start.value.runId;

  const confirmIndex = plan.steps.findIndex((s) => s.kind === "confirm");
  let spawned = false;
  const exit = await until(`${scenario.label}: the worker kills itself`, 60_000, async () => {
    const ended = w.exit();
    if (ended) return ended;
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    // Once this worker holds the approved run, no job for it can appear until the worker dies: the
    // next worker may start now (it finds nothing to do) and is ready when the crash comes.
    if (!spawned && run.state === "RUNNING" && run.workerId !== null && run.nextStep > confirmIndex) {
      spawned = true;
      prespawn();
    }
    if (run.state === "WAITING") await approve(runId, run.nextStep);
    else if (run.state !== "RUNNING") throw new Error(`${scenario.label}: the run stopped ${run.state} (${run.stateReason}) before the crash point`);
    return undefined;
  });
  expect(exit, `${scenario.label}: ${w.output()}`).toEqual({ code: null, signal: "SIGKILL" });

  // The record shows exactly where the worker died.
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const row = await db.runStep.findUniqueOrThrow({ where: { runId_index: { runId, index: scenario.step.index } } });
  expect(run.state, scenario.label).toBe("RUNNING");
  const index = scenario.step.index;
  const expected = {
    "before-start": { nextStep: index, state: "PENDING", attempts: 0 },
    "after-start": { nextStep: index, state: "RUNNING", attempts: 1 },
    "after-exec": { nextStep: index, state: "RUNNING", attempts: 1 },
    "after-finish": { nextStep: index + 1, state: "SUCCEEDED", attempts: 1 },
  }[scenario.point];
  expect({ nextStep: run.nextStep, state: row.state, attempts: row.attempts }, scenario.label).toEqual(expected);
  if (scenario.step.kind === "action") {
    const ran = invocations().slice(logFrom).filter((argv) => sameArgv(argv, scenario.step.argv)).length;
    expect(ran, `${scenario.label}: times the action ran before the crash`).toBe(scenario.point === "before-start" || scenario.point === "after-start" ? 0 : 1);
  }
  return { scenario, runId, crash: exit, decisions: [], logFrom, logTo: -1, crashWorker: run.workerId ?? "" };
}

const payloadSchema = z.looseObject({ runId: z.string(), step: z.number().optional(), state: z.string().optional(), decision: z.string().optional(), argv: z.array(z.string()).optional() });

async function runAudit(runId: string) {
  const rows = await db.auditEvent.findMany({ where: { payload: { path: ["runId"], equals: runId } }, orderBy: { id: "asc" } });
  return rows.map((row) => ({ action: row.action, payload: payloadSchema.parse(row.payload) }));
}

// ---- the scenarios --------------------------------------------------------------------------------

describe("the run worker killed (SIGKILL) at every step boundary of the scrapped-warehouse recovery", () => {
  it("crashes and resumes every (step, crash point) with real worker processes", async () => {
    const remote = plan.steps.filter((s): s is RemoteStep => s.kind !== "confirm");
    expect(remote.length).toBeGreaterThanOrEqual(10);
    const scenarios: Scenario[] = POINTS.flatMap((point) =>
      [...remote].reverse().map((step) => ({ step, point, label: `step ${step.index + 1} (${step.kind} ${step.stepId}) ${point}` })),
    );

    const crashSpec = (s: Scenario) => `${s.step.index}:${s.point}`;
    let pending: Outcome | null = null;
    // The process that will resume the pending run, started while the pending run was still executing.
    let prespawned: { process: WorkerProcess; crashAt: string | undefined } | null = null;
    for (const [i, scenario] of scenarios.entries()) {
      let w: WorkerProcess;
      if (pending) {
        // A crash worker of a lower step can resume the pending run (it never reaches that step again);
        // otherwise a plain worker finishes it first.
        const reuse = scenario.step.index < pending.scenario.step.index;
        const resumer = prespawned ?? { process: worker(reuse ? crashSpec(scenario) : undefined), crashAt: reuse ? crashSpec(scenario) : undefined };
        // A worker started before the crash already did its start-up sweep: run the sweep a live
        // worker runs periodically now, rather than waiting up to 6 s for its timer.
        if (prespawned) await sweepDeadWorkers("runs-crash-test", (ids) => queue.forceUnlockWorkers(ids));
        prespawned = null;
        await finish(pending, resumer.process);
        if (resumer.crashAt === undefined) {
          expect(await resumer.process.stop(), resumer.process.output()).toEqual({ code: 0, signal: null });
          w = worker(crashSpec(scenario));
        } else {
          w = resumer.process;
        }
      } else {
        w = worker(crashSpec(scenario));
      }
      const following = scenarios[i + 1];
      const nextCrashAt = following && following.step.index < scenario.step.index ? crashSpec(following) : undefined;
      pending = await crash(scenario, w, () => {
        prespawned = { process: worker(nextCrashAt), crashAt: nextCrashAt };
      });
      outcomes.push(pending);
    }
    if (pending) {
      const plain = prespawned ?? { process: worker(), crashAt: undefined };
      if (prespawned) await sweepDeadWorkers("runs-crash-test", (ids) => queue.forceUnlockWorkers(ids));
      await finish(pending, plain.process);
      expect(await plain.process.stop(), plain.process.output()).toEqual({ code: 0, signal: null });
    }
    expect(outcomes.map((o) => `${o.scenario.step.index}:${o.scenario.point}`).sort()).toEqual(
      remote.flatMap((s) => POINTS.map((p) => `${s.index}:${p}`)).sort(),
    );
  }, 400_000);

  it("every run ended SUCCEEDED; only an action whose worker died after its start was interrupted, and each was decided", async () => {
    expect(outcomes.length).toBeGreaterThan(0);
    for (const o of outcomes) {
      const { step, point, label } = o.scenario;
      const run = await db.run.findUniqueOrThrow({ where: { id: o.runId }, include: { steps: { orderBy: { index: "asc" } } } });
      expect(run.state, label).toBe("SUCCEEDED");
      // Never re-ran by itself: an action in flight when its worker died always stopped for a decision.
      const interrupted = step.kind === "action" && (point === "after-start" || point === "after-exec");
      expect(o.decisions, label).toEqual(interrupted ? [{ index: step.index, decision: point === "after-start" ? "retry" : "mark-done" }] : []);
      for (const row of run.steps) {
        const marked = o.decisions.some((d) => d.index === row.index && d.decision === "mark-done");
        expect(row.state, `${label}: step ${row.index + 1}`).toBe(marked ? "MARKED_DONE" : "SUCCEEDED");
        if (o.decisions.some((d) => d.index === row.index)) expect(row.decidedBy, label).toBe(dba2.email);
      }
    }
    expect(await db.clusterLease.count({ where: { clusterId: lab.clusterId } })).toBe(0);
  });

  it("no action executed twice (or lost): each ran exactly once per run, on the simulator and in the ssh.exec audit", async () => {
    const log = invocations();
    const actions = plan.steps.filter((s): s is Extract<PlanStep, { kind: "action" }> => s.kind === "action");
    expect(actions.length).toBeGreaterThanOrEqual(5);
    for (const o of outcomes) {
      expect(o.logTo, o.scenario.label).toBeGreaterThan(o.logFrom);
      const slice = log.slice(o.logFrom, o.logTo);
      const audit = await runAudit(o.runId);
      const execs = await db.auditEvent.findMany({ where: { action: "ssh.exec", payload: { path: ["runId"], equals: o.runId } } });
      for (const action of actions) {
        const what = `${o.scenario.label}: ${action.argv.join(" ")}`;
        expect(slice.filter((argv) => sameArgv(argv, action.argv)).length, `${what} on the simulator`).toBe(1);
        const audited = execs.filter((e) => sameArgv(payloadSchema.parse(e.payload).argv ?? [], action.argv));
        expect(audited.length, `${what} in the ssh.exec audit`).toBe(1);
      }
      expect(audit[0]?.action, o.scenario.label).toBe("run.start");
      expect(audit.at(-1)?.action, o.scenario.label).toBe("run.succeeded");
    }
  });

  it("no audit event lost: the chain verifies and every step's start and result has its audit row", async () => {
    const chain = await verifyAuditChain();
    expect(chain).toMatchObject({ intact: true });
    for (const o of outcomes) {
      const label = o.scenario.label;
      const audit = await runAudit(o.runId);
      const steps = await db.runStep.findMany({ where: { runId: o.runId }, orderBy: { index: "asc" } });
      const of = (action: string, index: number) => audit.filter((a) => a.action === action && a.payload.step === index + 1);
      for (const row of steps) {
        const what = `${label}: step ${row.index + 1} (${row.kind})`;
        if (row.kind === "confirm") {
          expect(row.startedAt, what).not.toBeNull();
          expect(of("run.step.waiting", row.index).length, what).toBeGreaterThanOrEqual(1);
          expect(of("run.confirm", row.index).map((a) => a.payload.decision), what).toContain("approved");
          continue;
        }
        expect(row.startedAt, what).not.toBeNull();
        expect(row.finishedAt, what).not.toBeNull();
        // Every committed start has its row (attempts is incremented in the same transaction).
        expect(of("run.step.started", row.index).length, what).toBe(row.attempts);
        const finished = of("run.step.finished", row.index);
        const decided = o.decisions.find((d) => d.index === row.index);
        if (decided?.decision === "mark-done") {
          expect(of("run.step.interrupted", row.index).length, what).toBe(1);
          expect(of("run.decide", row.index).map((a) => a.payload.decision), what).toEqual(["mark-done"]);
          expect(finished.length, what).toBe(0);
        } else {
          expect(finished.length, what).toBeGreaterThanOrEqual(1);
          expect(finished.at(-1)?.payload.state, what).toBe("SUCCEEDED");
          if (decided) expect(of("run.decide", row.index).map((a) => a.payload.decision), what).toEqual(["retry"]);
        }
      }
      // Each resumed read-only step shows its two starts; a crash after its result was committed, one.
      const { step, point } = o.scenario;
      const crashed = steps.find((s) => s.index === step.index);
      const rerun = step.kind !== "action" && (point === "after-start" || point === "after-exec");
      const retried = step.kind === "action" && point === "after-start";
      expect(crashed?.attempts, label).toBe(rerun || retried ? 2 : 1);
    }
  });
});
