// One mutating run per cluster under load: 100 run.start requests at once, through the real route
// wrapper with real session cookies, for a mutating procedure on one lab cluster → exactly one run;
// the 99 others are refused with 409 naming who holds the cluster. A preview (read-only: prechecks
// over SSH, nothing stored) still works while the cluster is locked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import { useTestDatabase } from "./db";
import { signedInAs } from "./factories";
import { callAction } from "./http";
import { startMachbaseLab, type MachbaseLab } from "./runs-lab";

useTestDatabase();

const PROCEDURE = "machbase.snapshot-settings";
const REQUESTS = 100;
let lab: MachbaseLab;
let dbas: { user: { email: string }; cookie: string }[];

beforeAll(async () => {
  lab = await startMachbaseLab({ name: "t-runs-conc", firstAddress: 222, port: 2222, timeScale: 0.002 });
  dbas = [];
  for (let i = 0; i < 4; i += 1) dbas.push(await signedInAs("DBA"));
}, 90_000);

afterAll(async () => {
  await lab?.stop();
});

describe("100 concurrent starts of mutating runs on one cluster", () => {
  it("creates exactly one run; the 99 others get 409 naming the holder; a preview still works while locked", async () => {
    const params = { intervalSeconds: 30 };
    const first = dbas[0]!;
    const preview = await callAction(previewRun, first.cookie, { clusterId: lab.clusterId, procedureId: PROCEDURE, params });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    const { digest } = preview.json.data as { digest: string };

    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => {
        const who = dbas[i % dbas.length]!;
        return callAction(startRun, who.cookie, { clusterId: lab.clusterId, procedureId: PROCEDURE, params, planDigest: digest }).then((r) => ({ ...r, who }));
      }),
    );
    const won = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    expect(won.length, JSON.stringify(responses.map((r) => r.status))).toBe(1);
    expect(refused.length).toBe(REQUESTS - 1);
    const winner = won[0]!;
    const runId = (winner.json.data as { runId: string }).runId;
    for (const r of refused) {
      expect(r.status, JSON.stringify(r.json)).toBe(409);
      expect(r.json.error?.code).toBe("CONFLICT");
      // Names the holder: who started it, which run, since when.
      expect(r.json.error?.message).toContain(winner.who.user.email);
      expect(r.json.error?.message).toContain(runId.slice(0, 8));
      expect(r.json.error?.message).toMatch(/locked by .* started by .* at \d{4}-\d\d-\d\dT/);
    }

    // Exactly one run and one lease; no half-created run of a refused request survived its rollback.
    expect(await db.run.count({ where: { clusterId: lab.clusterId } })).toBe(1);
    expect(await db.runStep.count({ where: { run: { clusterId: lab.clusterId } } })).toBeGreaterThan(0);
    expect(await db.runStep.count({ where: { NOT: { runId } } })).toBe(0);
    const lease = await db.clusterLease.findUniqueOrThrow({ where: { clusterId: lab.clusterId } });
    expect(lease.runId).toBe(runId);
    expect(await db.auditEvent.count({ where: { action: "run.start" } })).toBe(1);

    // Read-only: the wizard's preview (live prechecks over SSH) works on the locked cluster.
    const whileLocked = await callAction(previewRun, dbas[1]!.cookie, { clusterId: lab.clusterId, procedureId: PROCEDURE, params: {} });
    expect(whileLocked.status, JSON.stringify(whileLocked.json)).toBe(200);
    const data = whileLocked.json.data as { plan: { steps: unknown[] }; prechecks: { ok: boolean; reason: string }[] };
    expect(data.plan.steps.length).toBeGreaterThan(0);
    expect(data.prechecks.every((p) => p.ok), JSON.stringify(data.prechecks)).toBe(true);
  }, 120_000);
});
