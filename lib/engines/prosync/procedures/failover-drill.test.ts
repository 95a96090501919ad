import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { compilePlan } from "../../../runs/plan";
import { outline, planOf, verdict } from "../../machbase/procedures/test-context.test-fixture";
import { failoverDrill } from "./failover-drill";

const prs = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");
const tb = (name: string) => readFileSync(path.join(import.meta.dirname, "../../tibero/fixtures", name), "utf8");
const lab = labPlanContext("PROSYNC");
const STATUS = prs("prs_adm-status.txt");

describe("prosync.failover-drill", () => {
  it("stops the agent's CM on its node and watches from the other agent's node, then restores", () => {
    const plan = planOf(compilePlan(failoverDrill, { agent: "agent1" }, lab));
    expect(outline(plan)).toEqual([
      "all-running precheck @prs2",
      "failover-on precheck @prs2",
      "approve confirm",
      "take-down action @prs1",
      "moved wait-until @prs2",
      "cm-view verify @prs2",
      "restore-cm action @prs1",
      "restore-db action @prs1",
      "restart-group action @prs1",
      "back wait-until @prs2",
    ]);
    expect(plan.steps.find((s) => s.key === "take-down")).toMatchObject({ argv: ["tbcm", "-d"], idempotent: false });
    expect(plan.steps.find((s) => s.key === "restart-group")).toMatchObject({ argv: ["cmrctl", "start", "group", "--name", "CM1"] });
    expect(plan.requiresSecondDba).toBe(true);
  });

  it("refuses an agent the cluster does not have", () => {
    expect(compilePlan(failoverDrill, { agent: "agent7" }, lab)).toMatchObject({ ok: false, errors: expect.arrayContaining([{ kind: "step", step: "all-running", message: expect.stringContaining("agent7 is not an agent node") }]) });
  });

  it("waits until no process runs on the lost agent, and needs failover ON", () => {
    const plan = planOf(compilePlan(failoverDrill, { agent: "agent1" }, lab));
    expect(verdict(failoverDrill, plan, "all-running", STATUS)).toEqual({ ok: true });
    expect(verdict(failoverDrill, plan, "moved", STATUS)).toEqual({ ok: false, reason: "not moved yet: prosync_ext1 running on agent1, prosync_llob running on agent1" });
    const moved = STATUS.replace("agent1, HOST: 172.19.0.11, PORT: 7600, CM_GROUP: CM1, CM_ID: 0 is running", "agent1, HOST: 172.19.0.11, PORT: 7600, CM_GROUP: CM1, CM_ID: 0 is not running")
      .replaceAll("(prs_agent ID : agent1, HOST: 172.19.0.11, PORT: 7600)", "(prs_agent ID : agent2, HOST: 172.19.0.12, PORT: 7700)");
    expect(verdict(failoverDrill, plan, "moved", moved)).toEqual({ ok: true });
    expect(verdict(failoverDrill, plan, "back", moved)).toMatchObject({ ok: false, reason: "agent agent1 not running" });
    expect(verdict(failoverDrill, plan, "failover-on", tb("cmrctl-show-all-registered.txt"))).toEqual({ ok: true });
    expect(verdict(failoverDrill, plan, "failover-on", tb("cmrctl-show-all-registered.txt").replaceAll("failover: ON", "failover: OFF"))).toMatchObject({ ok: false, reason: expect.stringContaining("would stay down") });
    expect(verdict(failoverDrill, plan, "failover-on", tb("cmrctl-show-all-before-groups.txt"))).toEqual({ ok: false, reason: "CM lists no group CM1" });
  });
});
