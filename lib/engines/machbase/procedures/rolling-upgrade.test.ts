import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { rollingUpgrade } from "./rolling-upgrade";
import { fixture, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const C = "machcoordinatoradmin";
const PER_NODE = ["peers-serving precheck", "shutdown-node action", "upgrade-node action", "startup-node action", "back-in-role wait-until"];

describe("rolling-upgrade", () => {
  it("upgrades every broker and warehouse by default: warehouses group by group, the leader broker last", () => {
    const plan = planOf(compilePlan(rollingUpgrade, { packageName: "new_package" }, labCluster));
    const order = ["127.0.0.23:5401", "127.0.0.24:5402", "127.0.0.23:5501", "127.0.0.24:5502", "127.0.0.23:5302", "127.0.0.22:5301"];
    expect(outline(plan)).toEqual([
      "cluster-healthy precheck @mach1",
      "package-registered precheck @mach1",
      ...order.flatMap((_, i) => PER_NODE.map((s) => `node[${i}]/${s} @mach1`)),
      "cluster-healthy-after verify @mach1",
    ]);
    expect(plan.steps.filter((s) => s.stepId === "shutdown-node").map((s) => s.item?.label)).toEqual(order);
    const first = plan.steps.filter((s) => s.item?.index === 0 && s.kind === "action").map((s) => ("argv" in s ? s.argv : []));
    expect(first).toEqual([
      [C, "--shutdown-node=127.0.0.23:5401"],
      [C, "--upgrade-node=127.0.0.23:5401", "--package-name=new_package"],
      [C, "--startup-node=127.0.0.23:5401"],
    ]);
    expect(plan.steps.find((s) => s.key === "node[0]/back-in-role")).toMatchObject({ timeoutMs: 600_000, pollMs: 2_000 });
    expect(plan.steps.find((s) => s.key === "node[0]/upgrade-node")?.help).toMatch(/^The rollout stopped here/);
    expect(planAsText(plan)).toContain("-- Upgrade node: 127.0.0.22:5301");
  });

  it("keeps the rule's order whatever order the nodes are chosen in", () => {
    const plan = planOf(compilePlan(rollingUpgrade, { packageName: "new_package", nodes: ["127.0.0.22:5301", "127.0.0.24:5502", "127.0.0.23:5302"] }, labCluster));
    expect(plan.steps.filter((s) => s.stepId === "startup-node").map((s) => s.item?.label)).toEqual(["127.0.0.24:5502", "127.0.0.23:5302", "127.0.0.22:5301"]);
  });

  it("refuses bad nodes by field", () => {
    expect(compilePlan(rollingUpgrade, { packageName: "new package", nodes: ["127.0.0.23:5401", "mach3"] }, labCluster)).toMatchObject({
      ok: false,
      errors: [
        { kind: "param", field: "packageName" },
        { kind: "param", field: "nodes.1", message: "host:port, e.g. 192.168.0.10:5101" },
      ],
    });
    expect(compilePlan(rollingUpgrade, { packageName: "p", nodes: ["127.0.0.23:5401", "127.0.0.23:5401"] }, labCluster)).toMatchObject({
      ok: false,
      errors: [{ kind: "param", field: "nodes", message: "a node is chosen twice" }],
    });
    expect(compilePlan(rollingUpgrade, { packageName: "p", nodes: ["127.0.0.23:5401", "127.0.0.29:5401"] }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "step", step: "cluster-healthy", message: expect.stringMatching(/^command refused: nodes\.1: 127\.0\.0\.29:5401 is not a node of this cluster/) }],
    });
    expect(compilePlan(rollingUpgrade, { packageName: "p", nodes: ["127.0.0.21:5101"] }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "step", step: "cluster-healthy", message: "command refused: nodes.0: 127.0.0.21:5101 is a coordinator, expected a broker or warehouse" }],
    });
  });

  it("checks the seed's tables: healthy before, each node back before the next, peers serving", () => {
    const plan = planOf(compilePlan(rollingUpgrade, { packageName: "new_package" }, seedCluster));
    expect(verdict(rollingUpgrade, plan, "cluster-healthy", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(rollingUpgrade, plan, "cluster-healthy", fixture("warehouse-dead-detected.txt"))).toMatchObject({ ok: false, reason: expect.stringContaining("localhost:30410") });
    expect(verdict(rollingUpgrade, plan, "node[0]/back-in-role", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(rollingUpgrade, plan, "node[0]/back-in-role", fixture("warehouse-restarted-scrapped.txt")).ok).toBe(false);
    // localhost:30420 is node[1]; its peer 30410 is down in this table.
    expect(verdict(rollingUpgrade, plan, "node[1]/peers-serving", fixture("warehouse-dead-detected.txt"))).toMatchObject({ ok: false, reason: expect.stringContaining("30410") });
    expect(verdict(rollingUpgrade, plan, "cluster-healthy", "", 1)).toEqual({ ok: false, reason: "the command exited 1" });
  });
});
