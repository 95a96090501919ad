import { describe, expect, it } from "vitest";

import { probesForPlan, describeProgress } from "../../../runs/evaluate";
import { compilePlan } from "../../../runs/plan";
import type { Plan } from "../../../runs/plan-schema";
import { planAsText } from "../../../runs/render-plan";
import { scrappedWarehouseRecovery } from "./scrapped-warehouse-recovery";
import { fixture, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const C = "machcoordinatoradmin";

describe("scrapped-warehouse-recovery", () => {
  it("compiles the seed's four steps around the restart and the waits, all on the primary coordinator", () => {
    const plan = planOf(compilePlan(scrappedWarehouseRecovery, { node: "127.0.0.23:5401" }, labCluster));
    expect(outline(plan)).toEqual([
      "node-scrapped precheck @mach1",
      "healthy-peer precheck @mach1",
      "approve confirm",
      "set-readonly action @mach1",
      "restart[0]/startup-node action @mach1",
      "restarted-scrapped wait-until @mach1",
      "snapshot-recover action @mach1",
      "exec-sync action @mach1",
      "sync-finished wait-until @mach1",
      "set-normal action @mach1",
      "group-normal verify @mach1",
    ]);
    const argv = Object.fromEntries(plan.steps.flatMap((s) => ("argv" in s ? [[s.key, s.argv]] : [])));
    expect(argv["set-readonly"]).toEqual([C, "--set-group-state=readonly", "--group=group1"]);
    expect(argv["restart[0]/startup-node"]).toEqual([C, "--startup-node=127.0.0.23:5401"]);
    expect(argv["snapshot-recover"]).toEqual([C, "--snapshot-recover=127.0.0.23:5401"]);
    expect(argv["exec-sync"]).toEqual([C, "--exec-sync=127.0.0.23:5401"]);
    expect(argv["set-normal"]).toEqual([C, "--set-group-state=normal", "--group=group1"]);
    expect(plan.requiresSecondDba).toBe(true);
    expect(plan.steps.find((s) => s.key === "set-readonly")?.title).toBe("Set group1 readonly");
  });

  it("leaves the restart out when the warehouse already runs", () => {
    const plan = planOf(compilePlan(scrappedWarehouseRecovery, { node: "127.0.0.24:5502", restartNode: false }, labCluster));
    expect(plan.steps.map((s) => s.key)).not.toContain("restart[0]/startup-node");
    expect(plan.steps.find((s) => s.key === "set-normal")).toMatchObject({ argv: [C, "--set-group-state=normal", "--group=group2"] });
  });

  it("refuses a node that is not host:port, not in the cluster, or not a warehouse, by field", () => {
    expect(compilePlan(scrappedWarehouseRecovery, { node: "wh-1" }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "param", field: "node", message: "host:port, e.g. 192.168.0.10:5101" }],
    });
    const missing = compilePlan(scrappedWarehouseRecovery, { node: "127.0.0.29:5401" }, labCluster);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toEqual({ kind: "step", step: "node-scrapped", message: expect.stringMatching(/^command refused: node: 127\.0\.0\.29:5401 is not a node of this cluster/) });
    const broker = compilePlan(scrappedWarehouseRecovery, { node: "127.0.0.22:5301" }, labCluster);
    if (!broker.ok) expect(broker.errors[0]?.message).toBe("command refused: node: 127.0.0.22:5301 is a broker, expected a warehouse");
    else throw new Error("expected a refusal");
  });

  describe("on the seed's tables", () => {
    const plan: Plan = planOf(compilePlan(scrappedWarehouseRecovery, { node: "localhost:30410" }, seedCluster));

    it("refuses a node that is not scrapped and accepts the scrapped one", () => {
      expect(verdict(scrappedWarehouseRecovery, plan, "node-scrapped", fixture("initial-cluster.txt"))).toEqual({
        ok: false,
        reason: "localhost:30410 is not scrapped (normal); snapshot recovery only applies to a scrapped warehouse",
      });
      expect(verdict(scrappedWarehouseRecovery, plan, "node-scrapped", fixture("warehouse-dead-detected.txt"))).toEqual({ ok: true });
      expect(verdict(scrappedWarehouseRecovery, plan, "healthy-peer", fixture("warehouse-dead-detected.txt"))).toEqual({ ok: true });
    });

    it("refuses when no healthy warehouse remains in the group", () => {
      const bothDown = fixture("warehouse-dead-detected.txt").replace(
        "| warehouse   | localhost:30420 | group1          | readonly        | normal        | normal        |",
        "| warehouse   | localhost:30420 | group1          | readonly        | scrapped      | **unknown**   |",
      );
      expect(verdict(scrappedWarehouseRecovery, plan, "healthy-peer", bothDown)).toMatchObject({ ok: false, reason: expect.stringMatching(/^no healthy warehouse left in group1/) });
    });

    it("waits for the restart, then through the sync until the node is normal with RP stopped", () => {
      expect(verdict(scrappedWarehouseRecovery, plan, "restarted-scrapped", fixture("warehouse-dead-detected.txt")).ok).toBe(false);
      expect(verdict(scrappedWarehouseRecovery, plan, "restarted-scrapped", fixture("warehouse-restarted-scrapped.txt"))).toEqual({ ok: true });
      expect(verdict(scrappedWarehouseRecovery, plan, "sync-finished", fixture("sync-in-progress.txt"))).toMatchObject({ ok: false, reason: expect.stringContaining("RP running") });
      expect(verdict(scrappedWarehouseRecovery, plan, "sync-finished", fixture("sync-complete.txt"))).toEqual({ ok: true });
      expect(verdict(scrappedWarehouseRecovery, plan, "group-normal", fixture("sync-complete.txt")).ok).toBe(false);
      expect(verdict(scrappedWarehouseRecovery, plan, "group-normal", fixture("set-group-state-normal.txt"))).toEqual({ ok: true });
    });

    it("shows the node's states while the sync runs", () => {
      const probes = probesForPlan(scrappedWarehouseRecovery, plan);
      const wait = probes.ok ? probes.byKey.get("sync-finished") : undefined;
      if (!wait) throw new Error("expected the wait");
      expect(describeProgress(wait, { exitCode: 0, stdout: fixture("sync-in-progress.txt"), stderr: "" })).toBe(
        "localhost:30410: sync-standby/sync-standby, RP running, group1 readonly",
      );
    });

    it("renders as text", () => {
      const text = planAsText(plan);
      expect(text).toContain("Scrapped warehouse recovery (machbase.scrapped-warehouse-recovery) — 11 steps, mutating, requires a second DBA's approval");
      expect(text).toContain("$ 'machcoordinatoradmin' '--exec-sync=localhost:30410'");
    });
  });
});
