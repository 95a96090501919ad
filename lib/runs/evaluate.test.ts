import { describe, expect, it } from "vitest";

import { inventory, rollingRestart } from "./example-procedure.test-fixture";
import { describeProgress, evaluateProbe, probesForPlan } from "./evaluate";
import { defineProcedure, type ProbeOutput } from "./model";
import { compilePlan } from "./plan";
import type { Plan } from "./plan-schema";

const params = { nodes: ["10.0.0.3:5301", "10.0.0.2:5301"], reason: "kernel patch" };
const output = (stdout: string, exitCode = 0): ProbeOutput => ({ exitCode, stdout, stderr: "" });

function storedPlan(): Plan {
  const result = compilePlan(rollingRestart, params, inventory);
  if (!result.ok) throw new Error("expected a plan");
  return JSON.parse(JSON.stringify(result.plan)) as Plan;
}

describe("probesForPlan", () => {
  it("re-applies the assertions to a stored plan's parameters and items", () => {
    const probes = probesForPlan(rollingRestart, storedPlan());
    if (!probes.ok) throw new Error(probes.message);
    const wait = probes.byKey.get("per-node[0]/back-normal");
    if (!wait) throw new Error("expected the wait step");
    expect(evaluateProbe(wait, output("10.0.0.3:5301 normal"))).toEqual({ ok: true });
    expect(evaluateProbe(wait, output("10.0.0.2:5301 normal"))).toEqual({ ok: false, reason: "10.0.0.3:5301 not normal yet" });
    expect(describeProgress(wait, output("Node 10.0.0.3:5301 sync-standby\nmore"))).toBe("Node 10.0.0.3:5301 sync-standby");
  });

  it("refuses when the procedure's steps no longer line up with the plan", () => {
    const changed = defineProcedure({ ...rollingRestart, steps: rollingRestart.steps.slice(1) });
    expect(probesForPlan(changed, storedPlan())).toEqual({
      ok: false,
      message: "the procedure's steps changed since this run was planned; its checks no longer match the plan",
    });
    expect(probesForPlan({ ...rollingRestart, id: "other" }, storedPlan())).toMatchObject({ ok: false });
  });

  it("turns an assertion that throws into a failed check", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [
        {
          kind: "precheck",
          id: "p",
          title: "p",
          host: { host: "coord-1" },
          argv: ["true"],
          assert: () => {
            throw new Error("unexpected table");
          },
        },
      ],
    });
    const result = compilePlan(procedure, params, inventory);
    if (!result.ok) throw new Error("expected a plan");
    const probes = probesForPlan(procedure, result.plan);
    const step = probes.ok ? probes.byKey.get("p") : undefined;
    if (!step) throw new Error("expected the precheck");
    expect(evaluateProbe(step, output(""))).toEqual({ ok: false, reason: "the check itself failed: unexpected table" });
  });
});
