import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { killNode } from "../lab/faults/machbase";
import { db } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/verify";
import { cancelRun } from "@/lib/runs/actions/cancel-run";
import { confirmStep } from "@/lib/runs/actions/confirm-step";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import { useTestDatabase } from "./db";
import { makeUser } from "./factories";
import { inProcessWorker, previewAndStart, startMachbaseLab, type MachbaseLab } from "./runs-lab";

useTestDatabase();
let lab: MachbaseLab;
let worker: Awaited<ReturnType<typeof inProcessWorker>>;
let dba: Awaited<ReturnType<typeof makeUser>>;
let dba2: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  lab = await startMachbaseLab({ name: "t-runs", firstAddress: 216, port: 2216, timeScale: 0.002 });
  worker = await inProcessWorker();
  dba = await makeUser("DBA");
  dba2 = await makeUser("DBA");
}, 60_000);

afterAll(async () => {
  await lab?.stop();
});

const node1 = () => "127.0.0.216:5401";

describe("runs on the lab's Machbase cluster", () => {
  it("previews a plan with live prechecks and runs a read-only procedure to completion, every step audited", async () => {
    const preview = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: "machbase.snapshot-settings", params: {} });
    expect(preview.ok, JSON.stringify(preview)).toBe(true);
    if (!preview.ok) return;
    expect(preview.value.plan.steps.length).toBeGreaterThan(0);
    const runId = await previewAndStart(dba, lab.clusterId, "machbase.snapshot-settings", {});
    expect(await worker.drive(runId)).toBe("SUCCEEDED");
    const steps = await db.runStep.findMany({ where: { runId }, orderBy: { index: "asc" } });
    expect(steps.every((s) => s.state === "SUCCEEDED")).toBe(true);
    const audit = await db.auditEvent.findMany({ where: { payload: { path: ["runId"], equals: runId } }, orderBy: { id: "asc" } });
    const actions = audit.map((a) => a.action);
    expect(actions[0]).toBe("run.start");
    expect(actions).toContain("run.step.started");
    expect(actions).toContain("ssh.exec");
    expect(actions.at(-1)).toBe("run.succeeded");
    expect((await verifyAuditChain()).intact).toBe(true);
  });

  it("rolls every broker and warehouse through shutdown → upgrade → startup → back in role, the leader broker last", async () => {
    const runId = await previewAndStart(dba, lab.clusterId, "machbase.rolling-upgrade", { packageName: "machbase" });
    const state = await worker.drive(runId);
    expect(state, (await db.run.findUniqueOrThrow({ where: { id: runId } })).stateReason).toBe("SUCCEEDED");
    const steps = await db.runStep.findMany({ where: { runId, kind: "action" }, orderBy: { index: "asc" } });
    const upgraded = steps.filter((s) => s.argv.some((a) => a.startsWith("--upgrade-node="))).map((s) => s.nodeName || s.argv.join(" "));
    expect(upgraded.length).toBe(6);
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    const plan = run.plan as { steps: { key: string; item: { label: string } | null }[] };
    const order = [...new Set(plan.steps.filter((s) => s.item).map((s) => s.item!.label))];
    expect(order.at(-1)).toBe("127.0.0.217:5301");
  });

  it("recovers a scrapped warehouse: refuses self-approval, a second DBA approves, the group ends normal", async () => {
    expect(killNode(lab.stateDir, node1(), { env: { KEEL_LAB_TIME_SCALE: "0.002" } })).toMatchObject({ ok: true });
    const runId = await previewAndStart(dba, lab.clusterId, "machbase.scrapped-warehouse-recovery", { node: node1(), restartNode: true });
    expect(await worker.drive(runId)).toBe("WAITING");
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    const self = await confirmStep.invoke(dba, { runId, stepIndex: run.nextStep });
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self.error.message).toMatch(/second DBA/);
    const second = await confirmStep.invoke(dba2, { runId, stepIndex: run.nextStep });
    expect(second.ok, JSON.stringify(second)).toBe(true);
    expect(await worker.drive(runId)).toBe("SUCCEEDED");
    const steps = await db.runStep.findMany({ where: { runId }, orderBy: { index: "asc" } });
    expect(steps.find((s) => s.kind === "confirm")?.decidedBy).toBe(dba2.email);
    const output = await db.runOutput.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const seen = output.map((o) => o.text).join("");
    // The wait-until polls stream each distinct status table: the scrapped node, then back to normal.
    expect(seen).toMatch(/scrapped/);
    expect(seen).toContain(node1());
  });

  it("holds one mutating run per cluster: a second start is refused naming the holder; cancel releases it", async () => {
    expect(killNode(lab.stateDir, node1(), { env: { KEEL_LAB_TIME_SCALE: "0.002" } })).toMatchObject({ ok: true });
    const first = await previewAndStart(dba, lab.clusterId, "machbase.scrapped-warehouse-recovery", { node: node1(), restartNode: true });
    expect(await worker.drive(first)).toBe("WAITING");
    const preview = await previewRun.invoke(dba2, { clusterId: lab.clusterId, procedureId: "machbase.snapshot-settings", params: { intervalSeconds: 30 } });
    expect(preview.ok, JSON.stringify(preview)).toBe(true);
    if (!preview.ok) return;
    const second = await startRun.invoke(dba2, { clusterId: lab.clusterId, procedureId: "machbase.snapshot-settings", params: { intervalSeconds: 30 }, planDigest: preview.value.digest });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.message).toContain(dba.email);
    const cancelled = await cancelRun.invoke(dba2, { runId: first });
    expect(cancelled.ok).toBe(true);
    expect((await db.run.findUniqueOrThrow({ where: { id: first } })).state).toBe("CANCELLED");
    expect(await db.clusterLease.count({ where: { clusterId: lab.clusterId } })).toBe(0);
    // The lease is free again: a new recovery starts and returns the cluster to health.
    const again = await previewAndStart(dba, lab.clusterId, "machbase.scrapped-warehouse-recovery", { node: node1(), restartNode: true });
    expect(await worker.drive(again)).toBe("WAITING");
    expect((await confirmStep.invoke(dba2, { runId: again, stepIndex: (await db.run.findUniqueOrThrow({ where: { id: again } })).nextStep })).ok).toBe(true);
    expect(await worker.drive(again)).toBe("SUCCEEDED");
  });


  it("upgrades the coordinator: shutdown, backup of dbs/ and conf/ with its archive path recorded, extract, startup, back primary", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "keel-pkg-"));
    chmodSync(work, 0o755);
    const tree = path.join(work, "tree");
    mkdirSync(path.join(tree, "conf"), { recursive: true });
    writeFileSync(path.join(tree, "conf", "machbase.conf"), "# upgraded by the test\n");
    const packageFile = path.join(work, "machbase-ent-new.official-LINUX-X86-64-release.tgz");
    execFileSync("tar", ["-czf", packageFile, "-C", tree, "conf"]);
    chmodSync(packageFile, 0o644);
    const backupDir = path.join(work, "backups");
    mkdirSync(backupDir);
    chmodSync(backupDir, 0o777);
    const backupAt = "2026-11-23T12:00:00.000Z";
    const params = { packageFile, backupDir, backupAt, noDdlAttested: true };

    const lightweight = await previewRun.invoke(dba, { clusterId: lab.clusterId, procedureId: "machbase.coordinator-upgrade", params: { ...params, packageFile: packageFile.replace(".tgz", "-lightweight.tgz") } });
    expect(lightweight.ok).toBe(false);
    if (!lightweight.ok && lightweight.error.code === "VALIDATION") expect(lightweight.error.fieldErrors["params.packageFile"]?.[0]).toMatch(/lightweight/);
    else expect.fail("a lightweight package is a field error");

    const runId = await previewAndStart(dba, lab.clusterId, "machbase.coordinator-upgrade", params);
    expect(await worker.drive(runId)).toBe("WAITING");
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect((await confirmStep.invoke(dba2, { runId, stepIndex: run.nextStep })).ok).toBe(true);
    const state = await worker.drive(runId);
    expect(state, (await db.run.findUniqueOrThrow({ where: { id: runId } })).stateReason).toBe("SUCCEEDED");
    const steps = await db.runStep.findMany({ where: { runId }, orderBy: { index: "asc" } });
    const archive = steps.find((s) => s.argv[0] === "tar" && s.argv[1] === "-czf");
    expect(archive?.title).toContain(backupDir);
    expect(existsSync(archive!.argv[2]!)).toBe(true);
    expect(steps.map((s) => s.argv.slice(0, 2).join(" "))).toEqual(expect.arrayContaining(["machcoordinatoradmin --shutdown", "tar -zxvf", "machcoordinatoradmin --startup"]));
  });
});
