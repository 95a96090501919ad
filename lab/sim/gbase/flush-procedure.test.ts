// Keel's gbase.snapshot-flush plan executed step by step against the BUILT simulators (real `sh`, `ls`,
// separate processes, real time at a tiny scale), with the faults of lab/faults/gbase.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotFlush } from "../../../lib/engines/gbase/procedures/snapshot-flush";
import { compilePlan, type PlanContext } from "../../../lib/runs/plan";
import type { Plan } from "../../../lib/runs/plan-schema";
import { bundleSimulators } from "../../../lib/status/built-sims";
import { localRunner } from "../../../lib/status/local-runner";
import { closeGcware, hangFlush, refuseOpen } from "../../faults/gbase";
import { runPlan, type RunPlanOptions } from "../run-plan";
import { settle } from "./store";
import { COORDINATORS } from "./testing";

let sims: Awaited<ReturnType<typeof bundleSimulators>>;
beforeAll(async () => {
  sims = await bundleSimulators(["gcadmin", "gcluster_services", "gcware_services", "python"]);
}, 60_000);
afterAll(() => sims?.dispose());

const HOSTS = COORDINATORS.map((c, i) => ({ host: `gb${i + 1}`, ...c }));

const inventory: PlanContext = {
  engine: "GBASE",
  version: "V953",
  settings: {},
  nodes: HOSTS.flatMap((h, i) => [
    { name: h.name, type: "coordinator", role: "", group: null, hostName: h.host, hostAddress: h.ip },
    { name: `node${i + 1}`, type: "data", role: "", group: null, hostName: h.host, hostAddress: h.ip },
  ]),
};

function lab(version: "V952" | "V953") {
  const root = mkdtempSync(path.join(tmpdir(), "keel-gbase-flush-"));
  const stateDir = path.join(root, "state");
  mkdirSync(stateDir);
  writeFileSync(
    path.join(stateDir, "topology.json"),
    JSON.stringify({
      version,
      initialSnapshot: { term: 142, index: 37975 },
      coordinators: HOSTS.map((h) => ({ name: h.name, ip: h.ip, gcwareBase: path.join(root, h.host, "gcware") })),
      dataNodes: COORDINATORS.map((c, i) => ({ name: `node${i + 1}`, ip: c.ip, distributionId: 6 })),
    }),
  );
  settle(stateDir);
  const run = localRunner(
    Object.fromEntries(
      HOSTS.map((h) => [
        h.host,
        { env: { KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: h.ip, GCWARE_BASE: path.join(root, h.host, "gcware"), KEEL_LAB_TIME_SCALE: "0.005" }, path: [sims.binDir] },
      ]),
    ),
  );
  const plan = (): Plan => {
    const compiled = compilePlan(snapshotFlush, { version, recordId: path.basename(root) }, { ...inventory, version });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    return compiled.plan;
  };
  return { stateDir, execute: (o: RunPlanOptions = {}) => runPlan(snapshotFlush, plan(), run, o) };
}

describe("gbase.snapshot-flush on the simulator", () => {
  it.each(["V952", "V953"] as const)("%s: flushes every gcware node to a newer snapshot and leaves gcware stopped", async (version) => {
    const { execute } = lab(version);
    const result = await execute();
    expect(result.failedAt).toBeNull();
    const summary = result.steps.filter((s) => s.key.startsWith("summary[")).map((s) => s.stdout);
    expect(summary).toHaveLength(3);
    for (const out of summary) {
      expect(out).toContain("SNAPSHOT.142.37975");
      expect(out.split("--- keel: gcware data directory now ---\n")[1]).not.toMatch(/\.s$/m);
    }
    const waits = result.steps.filter((s) => s.key.startsWith("flushed["));
    expect(waits.map((s) => s.progress.at(-1))).toEqual(HOSTS.map((h) => expect.stringMatching(new RegExp(`^${h.name}: SNAPSHOT\\.142\\.37975 → SNAPSHOT\\.\\d+\\.\\d+ \\(flushed\\)$`))));
    const open = result.steps.find((s) => s.key === "all-open");
    expect(open?.progress.at(-1)).toBe("3/3 gcware OPEN: coordinator1 OPEN, coordinator2 OPEN, coordinator3 OPEN");
  }, 60_000);

  it("stops at the gcware that will not open, naming its node (refuse-open)", async () => {
    const { stateDir, execute } = lab("V953");
    refuseOpen(stateDir, "coordinator2");
    const result = await execute();
    expect(result.failedAt).toBe("start-gcware[1]/start-only-gcware");
    expect(result.steps.at(-1)?.stdout).toMatch(/^Starting gcware :\s+\[FAILED\]$/m);
    expect(result.steps.some((s) => s.key === "flush")).toBe(false);
  }, 60_000);

  it("refuses to flush while a gcware is CLOSE, naming it (close-gcware)", async () => {
    const { stateDir, execute } = lab("V952");
    const result = await execute({ waitCapMs: 300, before: (key) => (key === "all-open" ? closeGcware(stateDir, "coordinator3") : undefined) });
    expect(result.failedAt).toBe("all-open");
    expect(result.steps.at(-1)?.reason).toBe("gcware not OPEN on coordinator3 CLOSE; the flush is refused until every gcware is OPEN");
  }, 60_000);

  it("times out on the node whose flush never finishes, with its .s named (hang-flush)", async () => {
    const { stateDir, execute } = lab("V953");
    hangFlush(stateDir, "coordinator1");
    const result = await execute({ waitCapMs: 500 });
    expect(result.failedAt).toBe("flushed[0]/new-snapshot");
    expect(result.steps.at(-1)?.reason).toMatch(/^coordinator1: SNAPSHOT\.142\.37975, writing SNAPSHOT\.\d+\.\d+\.s \(flush in progress\)$/);
  }, 60_000);
});
