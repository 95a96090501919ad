// Bad input and faults (issue 4), on the lab's Machbase cluster: each ends with a clear message on the
// step or run and a consistent run record (state, step rows, lease, audit chain). Runs are driven
// in-process with the worker's own advanceRun; the `at` hook of the worker handle injects a fault at
// an exact step boundary where a test needs one.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { killNode, restartNode } from "../lab/faults/machbase";
import { startHost, stopHost } from "../lab/lab";
import { runCoordinatorAdmin } from "../lab/sim/machbase/cli";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { cancelRun } from "@/lib/runs/actions/cancel-run";
import { confirmStep } from "@/lib/runs/actions/confirm-step";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import { advanceRun, type CrashPoint, type WorkerHandle } from "@/lib/runs/engine/advance";
import { isLiveWorker, registerWorker } from "@/lib/runs/engine/workers";
import { planDigest } from "@/lib/runs/plan";
import { planSchema } from "@/lib/runs/plan-schema";
import { useTestDatabase } from "./db";
import { makeUser } from "./factories";
import { previewAndStart, startMachbaseLab, type MachbaseLab } from "./runs-lab";

useTestDatabase();

const NAME = "t-runs-faults";
const SCALE = 0.002;
const simEnv = { env: { KEEL_LAB_TIME_SCALE: String(SCALE) } };
const RECOVERY = "machbase.scrapped-warehouse-recovery";
const NODE = "127.0.0.220:5401";

let lab: MachbaseLab;
let dba: Awaited<ReturnType<typeof makeUser>>;
let dba2: Awaited<ReturnType<typeof makeUser>>;
let workerId: string;
let packages: string;

beforeAll(async () => {
  lab = await startMachbaseLab({ name: NAME, firstAddress: 220, port: 2220, timeScale: SCALE });
  dba = await makeUser("DBA");
  dba2 = await makeUser("DBA");
  workerId = await registerWorker();
  packages = mkdtempSync(path.join(tmpdir(), "keel-faults-pkg-"));
  chmodSync(packages, 0o755);
}, 90_000);

afterAll(async () => {
  await lab?.stop();
});

/** Runs the run in this process until it stops (waiting, interrupted or ended); `at` may inject a fault. */
async function drive(runId: string, at?: (point: CrashPoint, stepIndex: number) => void): Promise<string> {
  const handle: WorkerHandle = { id: workerId, draining: () => false, isLive: isLiveWorker, ...(at ? { at } : {}) };
  await advanceRun(runId, handle);
  return (await db.run.findUniqueOrThrow({ where: { id: runId } })).state;
}

async function stepIndex(runId: string, stepId: string): Promise<number> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const step = planSchema.parse(run.plan).steps.find((s) => s.stepId === stepId);
  if (!step) throw new Error(`no step ${stepId} in run ${runId}`);
  return step.index;
}

async function approve(runId: string): Promise<void> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const result = await confirmStep.invoke(dba2, { runId, stepIndex: run.nextStep });
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

/** Polls until `probe` holds; fails at the deadline. */
async function until(what: string, deadlineMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A consistent end: terminal state with a reason, finishedAt, no worker, the lease released. */
async function expectEnded(runId: string, state: string) {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: { orderBy: { index: "asc" } } } });
  expect(run.state, run.stateReason).toBe(state);
  expect(run.stateReason.length).toBeGreaterThan(10);
  expect(run.finishedAt).not.toBeNull();
  expect(run.workerId).toBeNull();
  expect(run.steps.filter((s) => s.state === "RUNNING" || s.state === "WAITING")).toEqual([]);
  expect(await db.clusterLease.count({ where: { runId } })).toBe(0);
  const audit = await db.auditEvent.findMany({ where: { payload: { path: ["runId"], equals: runId } }, orderBy: { id: "asc" } });
  // Its end is audited exactly once (an operator's cancel also leaves its own run.cancel row).
  expect(audit.filter((a) => a.action === `run.${state.toLowerCase()}`).length).toBe(1);
  return run;
}

function packageFile(name: string): string {
  const file = path.join(packages, name);
  const tree = path.join(packages, `${name}.tree`);
  mkdirSync(tree, { recursive: true });
  writeFileSync(path.join(tree, "README"), "lab package\n");
  execFileSync("tar", ["-czf", file, "-C", tree, "README"]);
  chmodSync(file, 0o644);
  return file;
}

describe("bad input is refused before a run exists", () => {
  it("refuses a lightweight package for the coordinator at preview, as a field error", async () => {
    const params = { packageFile: "/opt/pkg/machbase-ent-8.0.2.official-LINUX-X86-64-release-lightweight.tgz", noDdlAttested: true };
    const preview = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: "machbase.coordinator-upgrade", params });
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.error.code).toBe("VALIDATION");
    if (preview.error.code !== "VALIDATION") return;
    expect(preview.error.fieldErrors["params.packageFile"]?.join(" ")).toMatch(/lightweight/);
  });

  it("refuses a node name that is not host:port, and one that is not a warehouse of this cluster", async () => {
    const bad = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: RECOVERY, params: { node: "warehouse-1" } });
    expect(bad.ok).toBe(false);
    if (bad.ok || bad.error.code !== "VALIDATION") return expect.fail(JSON.stringify(bad));
    expect(bad.error.fieldErrors["params.node"]?.join(" ")).toMatch(/host:port/);

    const stranger = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: RECOVERY, params: { node: "127.0.0.99:5401" } });
    expect(stranger.ok).toBe(false);
    if (stranger.ok || stranger.error.code !== "VALIDATION") return expect.fail(JSON.stringify(stranger));
    const messages = Object.values(stranger.error.fieldErrors).flat().join("\n");
    expect(messages).toContain("127.0.0.99:5401 is not a node of this cluster");
    expect(messages).toContain(NODE);

    // A broker is in the cluster but is not a warehouse.
    const broker = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: RECOVERY, params: { node: "127.0.0.221:5301" } });
    expect(broker.ok).toBe(false);
    if (broker.ok || broker.error.code !== "VALIDATION") return expect.fail(JSON.stringify(broker));
    expect(Object.values(broker.error.fieldErrors).flat().join("\n")).toMatch(/is a broker, expected a warehouse/);
    expect(await db.run.count()).toBe(0);
  });
});

describe("package registration with a duplicate file name", () => {
  it("the precheck refuses a file name already registered; the run fails at the precheck with the reason", async () => {
    const file = packageFile("machbase-ent-9.0.1.official-LINUX-X86-64-release-lightweight.tgz");
    const first = await previewAndStart(dba, lab.clusterId, "machbase.package-registration", { packageName: "pkg_901", packageFile: file });
    expect(await drive(first)).toBe("SUCCEEDED");

    const params = { packageName: "pkg_901_again", packageFile: file };
    const preview = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: "machbase.package-registration", params });
    expect(preview.ok, JSON.stringify(preview)).toBe(true);
    if (!preview.ok) return;
    const check = preview.value.prechecks[0];
    expect(check?.ok).toBe(false);
    expect(check?.reason).toContain(path.basename(file));

    const runId = await previewAndStart(dba, lab.clusterId, "machbase.package-registration", params);
    expect(await drive(runId)).toBe("FAILED");
    const run = await expectEnded(runId, "FAILED");
    expect(run.stateReason).toMatch(/^Step 1 \(.*\) failed: .*machbase-ent-9\.0\.1/);
    expect(run.steps[0]?.state).toBe("FAILED");
    expect(run.steps.slice(1).every((s) => s.state === "PENDING")).toBe(true);
  });

  it("when the file is registered between the precheck and the action, the step fails showing the tool's own error", async () => {
    const file = packageFile("machbase-ent-9.0.2.official-LINUX-X86-64-release-lightweight.tgz");
    const runId = await previewAndStart(dba, lab.clusterId, "machbase.package-registration", { packageName: "pkg_902", packageFile: file });
    const addIndex = await stepIndex(runId, "add-package");
    // A second operator registers the same file by hand right after the precheck passed.
    let raced = "";
    const state = await drive(runId, (point, index) => {
      if (point !== "before-start" || index !== addIndex || raced) return;
      const manual = runCoordinatorAdmin(["--add-package=pkg_902_by_hand", `--file-name=${file}`], { env: { KEEL_LAB_STATE: lab.stateDir, KEEL_LAB_TIME_SCALE: String(SCALE) } });
      raced = `exit ${manual.exitCode}`;
    });
    expect(raced).toBe("exit 0");
    expect(state).toBe("FAILED");
    const run = await expectEnded(runId, "FAILED");
    const step = run.steps[addIndex];
    expect(step?.state).toBe("FAILED");
    expect(step?.exitCode).toBe(1);
    expect(step?.message).toMatch(/\[ERROR\].*(already|registered)/i);
    expect(run.stateReason).toContain("[ERROR]");
    // The step's help: what happened and what to do.
    expect(run.stateReason).toContain("someone registered machbase-ent-9.0.2");
  });
});

describe("locks, lost hosts, timeouts and cancel on the scrapped-warehouse recovery", () => {
  it("refuses a second run on a locked cluster, naming the holder and since when", async () => {
    expect(killNode(lab.stateDir, NODE, simEnv)).toMatchObject({ ok: true });
    const holder = await previewAndStart(dba, lab.clusterId, RECOVERY, { node: NODE, restartNode: true });
    expect(await drive(holder)).toBe("WAITING");
    const preview = await previewRun.invoke(dba2, { clusterId: lab.clusterId, procedureId: "machbase.snapshot-settings", params: { intervalSeconds: 45 } });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    const second = await startRun.invoke(dba2, { clusterId: lab.clusterId, procedureId: "machbase.snapshot-settings", params: { intervalSeconds: 45 }, planDigest: preview.value.digest });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.code).toBe("CONFLICT");
    expect(second.error.message).toContain(dba.email);
    expect(second.error.message).toContain(holder.slice(0, 8));
    expect(second.error.message).toMatch(/at \d{4}-\d\d-\d\dT/);
    expect(await db.run.count({ where: { startedById: dba2.id } })).toBe(0);
    // Give the cluster back: cancel the waiting run (the node stays dead for the next tests).
    expect((await cancelRun.invoke(dba2, { runId: holder })).ok).toBe(true);
    await expectEnded(holder, "CANCELLED");
  });

  it("a wait-until whose condition never holds ends FAILED with 'timed out … last: …' and the step's help", async () => {
    // The warehouse stays down (restartNode=false: nobody starts it). The procedure's 5-minute restart
    // wait is shortened in the stored plan — the one knob a test has without changing the procedure.
    const runId = await previewAndStart(dba, lab.clusterId, RECOVERY, { node: NODE, restartNode: false });
    expect(await drive(runId)).toBe("WAITING");
    const waitIndex = await stepIndex(runId, "restarted-scrapped");
    const stored = await db.run.findUniqueOrThrow({ where: { id: runId } });
    const plan = planSchema.parse(stored.plan);
    const shortened = { ...plan, steps: plan.steps.map((s) => (s.index === waitIndex && s.kind === "wait-until" ? { ...s, timeoutMs: 1_500, pollMs: 500 } : s)) };
    await db.run.update({ where: { id: runId }, data: { plan: shortened, planDigest: planDigest(shortened) } });
    await approve(runId);
    expect(await drive(runId)).toBe("FAILED");
    const run = await expectEnded(runId, "FAILED");
    const step = run.steps[waitIndex];
    expect(step?.state).toBe("FAILED");
    expect(step?.message).toMatch(/^timed out after 2 s; last: 127\.0\.0\.220:5401: scrapped\//);
    expect(run.stateReason).toContain(`Step ${waitIndex + 1} (Wait until ${NODE} runs as scrapped/scrapped) failed: timed out after 2 s; last: ${NODE}`);
    expect(run.stateReason).toContain(`Start it (--startup-node=${NODE}) and run the recovery again.`);
  });

  it("cancel during a wait-until: the poll stops, the run is CANCELLED and names the step", async () => {
    const runId = await previewAndStart(dba, lab.clusterId, RECOVERY, { node: NODE, restartNode: false });
    expect(await drive(runId)).toBe("WAITING");
    await approve(runId);
    const waitIndex = await stepIndex(runId, "restarted-scrapped");
    const driving = drive(runId);
    await until("the wait polls", 20_000, async () => {
      const step = await db.runStep.findUniqueOrThrow({ where: { runId_index: { runId, index: waitIndex } } });
      return step.state === "RUNNING" && step.message.includes("scrapped");
    });
    const cancel = await cancelRun.invoke(dba2, { runId });
    expect(cancel.ok && cancel.value.state).toBe("cancelling");
    expect(await driving).toBe("CANCELLED");
    const run = await expectEnded(runId, "CANCELLED");
    expect(run.stateReason).toContain(`Cancelled by ${dba2.email} during step ${waitIndex + 1} (Wait until ${NODE} runs as scrapped/scrapped)`);
    expect(run.steps[waitIndex]?.state).toBe("CANCELLED");
    expect(run.steps[waitIndex]?.message).toMatch(/cancelled (while waiting|after \d+ poll)/);
    expect(run.steps.slice(waitIndex + 1).every((s) => s.state === "PENDING")).toBe(true);
  });

  it("a host that drops during a wait-until: the step shows it lost its answer, and the run goes on once the host is back", async () => {
    const runId = await previewAndStart(dba, lab.clusterId, RECOVERY, { node: NODE, restartNode: false });
    expect(await drive(runId)).toBe("WAITING");
    await approve(runId);
    const waitIndex = await stepIndex(runId, "restarted-scrapped");
    const driving = drive(runId);
    const stepNow = () => db.runStep.findUniqueOrThrow({ where: { runId_index: { runId, index: waitIndex } } });
    await until("the wait polls", 20_000, async () => (await stepNow()).state === "RUNNING" && (await stepNow()).message.includes("scrapped"));
    // The primary coordinator's host (the wait's host) loses its sshd and every session under it.
    const host = `${NAME}-h1`;
    const runDir = path.join(process.cwd(), "lab", ".run", NAME);
    await stopHost(host, { runDir });
    try {
      await until("the step shows the host's silence", 30_000, async () => (await stepNow()).message.startsWith("no answer"));
    } finally {
      await startHost(host, { runDir });
    }
    const lost = await stepNow();
    expect(lost.state).toBe("RUNNING");
    expect(lost.message).toMatch(/^no answer: ./);
    // The operator starts the warehouse by hand; the wait sees it and the recovery completes.
    expect(restartNode(lab.stateDir, NODE, simEnv)).toMatchObject({ ok: true });
    expect(await driving).toBe("SUCCEEDED");
    await expectEnded(runId, "SUCCEEDED");
    const output = await db.runOutput.findMany({ where: { runId, stepIndex: waitIndex, stream: "progress" }, orderBy: { id: "asc" } });
    expect(output.map((o) => o.text).join("")).toMatch(/no answer: /);
  });

  it("nothing was lost from the audit log", async () => {
    expect(await verifyAuditChain()).toMatchObject({ intact: true });
    const runs = await db.run.findMany({ include: { steps: true } });
    for (const run of runs) {
      const audit = await db.auditEvent.findMany({ where: { payload: { path: ["runId"], equals: run.id } } });
      const count = (action: string, step: number) => audit.filter((a) => a.action === action && (a.payload as { step?: unknown }).step === step + 1).length;
      for (const step of run.steps) {
        if (step.kind === "confirm") continue;
        expect(count("run.step.started", step.index), `${run.title} step ${step.index + 1}`).toBe(step.attempts);
        if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(step.state)) expect(count("run.step.finished", step.index)).toBe(step.attempts);
      }
    }
  });
});
