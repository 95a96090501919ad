import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { snapshotSettings } from "./snapshot-settings";
import { fixture, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const C = "machcoordinatoradmin";
const CONFIGURATION = "Name  : CLUSTER\nValue : 3\n \nName  : SNAPSHOT-INTERVAL\nValue : 60\n";

describe("snapshot-settings", () => {
  it("only shows the interval when nothing else is asked", () => {
    const plan = planOf(compilePlan(snapshotSettings, {}, labCluster));
    expect(outline(plan)).toEqual(["show-interval precheck @mach1"]);
    expect(plan.steps[0]).toMatchObject({ argv: [C, "--configuration"] });
  });

  it("sets the interval behind a confirm that warns when 0 disables snapshots", () => {
    const plan = planOf(compilePlan(snapshotSettings, { intervalSeconds: 0 }, labCluster));
    expect(outline(plan)).toEqual([
      "show-interval precheck @mach1",
      "interval[0]/confirm-interval confirm",
      "interval[0]/set-interval action @mach1",
      "interval[0]/interval-set verify @mach1",
    ]);
    expect(plan.steps[1]).toMatchObject({ kind: "confirm", text: expect.stringMatching(/^An interval of 0 disables automatic snapshots/) });
    expect(plan.steps[2]).toMatchObject({ argv: [C, "--snapshot-interval=0"] });
    const thirty = planOf(compilePlan(snapshotSettings, { intervalSeconds: 30 }, labCluster));
    expect(thirty.steps[1]).toMatchObject({ text: expect.not.stringContaining("disables") });
  });

  it("snapshots every warehouse group in turn, or the one chosen", () => {
    const all = planOf(compilePlan(snapshotSettings, { snapshot: "every-group" }, labCluster));
    expect(all.steps.filter((s) => s.stepId === "exec-snapshot").map((s) => ("argv" in s ? s.argv : []))).toEqual([
      [C, "--exec-snapshot", "--group=group1"],
      [C, "--exec-snapshot", "--group=group2"],
    ]);
    const one = planOf(compilePlan(snapshotSettings, { snapshot: "one-group", group: "group2" }, labCluster));
    expect(outline(one)).toEqual(["show-interval precheck @mach1", "snapshot[0]/group-ready precheck @mach1", "snapshot[0]/exec-snapshot action @mach1"]);
    expect(planAsText(one)).toContain("'--exec-snapshot' '--group=group2'");
  });

  it("refuses an interval out of range, a missing or unknown group, by field", () => {
    expect(compilePlan(snapshotSettings, { intervalSeconds: -1 }, labCluster)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "intervalSeconds", message: "0 (disabled) or more seconds" }] });
    expect(compilePlan(snapshotSettings, { intervalSeconds: 1.5 }, labCluster)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "intervalSeconds" }] });
    expect(compilePlan(snapshotSettings, { intervalSeconds: 2 ** 32 }, labCluster)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "intervalSeconds" }] });
    expect(compilePlan(snapshotSettings, { snapshot: "one-group" }, labCluster)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "group", message: "choose the group to snapshot" }] });
    expect(compilePlan(snapshotSettings, { snapshot: "one-group", group: "group9" }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "step", step: "snapshot[0]/group-ready", message: "command refused: group: group9 is not a warehouse group of this cluster (groups: group1, group2)" }],
    });
  });

  it("reads the interval and checks the group can be snapshotted on the seed's outputs", () => {
    const plan = planOf(compilePlan(snapshotSettings, { intervalSeconds: 60, snapshot: "every-group" }, seedCluster));
    expect(verdict(snapshotSettings, plan, "show-interval", CONFIGURATION)).toEqual({ ok: true });
    expect(verdict(snapshotSettings, plan, "show-interval", "Name  : CLUSTER\nValue : 3\n")).toMatchObject({ ok: false });
    expect(verdict(snapshotSettings, plan, "interval[0]/interval-set", CONFIGURATION)).toEqual({ ok: true });
    expect(verdict(snapshotSettings, plan, "snapshot[0]/group-ready", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(snapshotSettings, plan, "snapshot[0]/group-ready", fixture("warehouse-dead-detected.txt"))).toMatchObject({ ok: false, reason: expect.stringMatching(/^cannot snapshot group1 now/) });
    expect(verdict(snapshotSettings, plan, "snapshot[1]/group-ready", fixture("warehouse-dead-detected.txt"))).toEqual({ ok: true });
  });
});
