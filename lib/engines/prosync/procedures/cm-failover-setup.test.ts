import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { compilePlan, type PlanContext } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { outline, planOf, verdict } from "../../machbase/procedures/test-context.test-fixture";
import { renderCmScript } from "../cm-script";
import { ADD_CM_ID_SCRIPT } from "./cm-id-edit";
import { cmFailoverSetup } from "./cm-failover-setup";
import { SCRIPT_SEPARATOR } from "./shared";

const prs = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");
const tb = (name: string) => readFileSync(path.join(import.meta.dirname, "../../tibero/fixtures", name), "utf8");
const lab: PlanContext = labPlanContext("PROSYNC");
const PER_NODE = ["tbdown action", "tbcm-down action", "add-cm-id action", "cm-id-set verify", "tbcm-boot action", "tbboot action"];
const script = (shell: string, agentId = "agent1") =>
  `/t/prs_0.sh\n${renderCmScript({ tbHome: "/t", prsHome: "/p", agentId, shell })}${SCRIPT_SEPARATOR}\n`;

describe("prosync.cm-failover-setup", () => {
  it("compiles the seed's §5 sequence on the lab: node by node, then group, agents, start, checks", () => {
    const plan = planOf(compilePlan(cmFailoverSetup, { clusterName: "cls_prosync" }, lab));
    expect(outline(plan)).toEqual([
      "scripts[0]/script precheck @prs1",
      "scripts[1]/script precheck @prs2",
      "approve confirm",
      ...PER_NODE.map((s) => `nodes[0]/${s} @prs1`),
      ...PER_NODE.map((s) => `nodes[1]/${s} @prs2`),
      "show-all verify @prs1",
      "add-group action @prs1",
      "agents[0]/add-agent action @prs1",
      "agents[1]/add-agent action @prs2",
      "start-group action @prs1",
      "group-up wait-until @prs1",
      "prs-adm verify @prs1",
    ]);
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    const argv = (key: string) => { const s = byKey.get(key); return s && "argv" in s ? s.argv : null; };
    expect(argv("nodes[0]/tbdown")).toEqual(["tbdown"]);
    expect(argv("nodes[0]/tbcm-down")).toEqual(["tbcm", "-d"]);
    expect(argv("nodes[1]/add-cm-id")).toEqual(["sh", "-c", ADD_CM_ID_SCRIPT, "sh", "1"]);
    expect(argv("nodes[0]/tbcm-boot")).toEqual(["tbcm", "-b"]);
    expect(argv("nodes[0]/tbboot")).toEqual(["tbboot"]);
    expect(argv("add-group")?.slice(4)).toEqual(["cmrctl", "add", "group", "--name", "CM1", "--cname", "cls_prosync", "--grptype", "prosync", "--failover", "true"]);
    expect(argv("agents[1]/add-agent")?.slice(3)).toEqual(["sh", "agent2", "CM1", "3", "1"]);
    expect(argv("start-group")).toEqual(["cmrctl", "start", "group", "--name", "CM1"]);
    expect(byKey.get("nodes[0]/add-cm-id")).toMatchObject({ idempotent: true, title: "agent1: CM_ID=0 as the first setting of cm_$TB_SID.tip" });
    expect(byKey.get("prs-adm")).toMatchObject({ argv: ["prs_adm"], stdin: { text: "status\nexit\n" } });
    expect(planAsText(plan)).toContain("-- CM_ID in each node's CM tip: agent2 (CM_ID 1)");
  });

  it("takes explicit agents with their CM_IDs, and refuses unknown agents and bad names by field", () => {
    const plan = planOf(compilePlan(cmFailoverSetup, { agents: ["agent2:1"], failover: false }, lab));
    expect(plan.steps.filter((s) => s.stepId === "add-cm-id").map((s) => s.item?.label)).toEqual(["agent2 (CM_ID 1)"]);
    expect(plan.steps.find((s) => s.key === "add-group")).toMatchObject({ argv: expect.arrayContaining(["--failover", "false"]) });
    expect(compilePlan(cmFailoverSetup, { agents: ["agent9:0"] }, lab)).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([{ kind: "step", step: "show-all", message: "command refused: agents: agent9 is not an agent node of this cluster (agents: agent1, agent2)" }]),
    });
    expect(compilePlan(cmFailoverSetup, { group: "C M1", agents: ["agent1"], retryCount: -1 }, lab)).toMatchObject({
      ok: false,
      errors: [{ field: "group" }, { field: "agents.0" }, { field: "retryCount" }],
    });
    expect(compilePlan(cmFailoverSetup, { agents: ["agent1:0", "agent1:1"] }, lab)).toMatchObject({ ok: false, errors: [{ field: "agents", message: "an agent is listed twice" }] });
  });

  it("refuses a #!/bin/sh agent script before touching anything, with the seed's fix", () => {
    const plan = planOf(compilePlan(cmFailoverSetup, {}, lab));
    expect(verdict(cmFailoverSetup, plan, "scripts[0]/script", script("/bin/bash"))).toEqual({ ok: true });
    expect(verdict(cmFailoverSetup, plan, "scripts[0]/script", script("/bin/sh"))).toEqual({
      ok: false,
      reason: "/t/prs_0.sh: 7: source: not found; CM would get exit 127 — change the first line to #!/bin/bash (the script uses `source`)",
    });
    expect(verdict(cmFailoverSetup, plan, "scripts[0]/script", script("/bin/bash", "agent2"))).toEqual({ ok: false, reason: "/t/prs_0.sh sets AGENT_ID=agent2, expected agent1" });
    expect(verdict(cmFailoverSetup, plan, "scripts[0]/script", "/t/prs_0.sh\n", 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/^\/t\/prs_0\.sh could not be read/) });
    expect(verdict(cmFailoverSetup, plan, "scripts[0]/script", prs("prs_0.sh").replace(/^/, "/t/prs_0.sh\n") + `${SCRIPT_SEPARATOR}\n`)).toMatchObject({ ok: false, reason: expect.stringContaining("exit 127") });
  });

  it("checks CM_ID is the tip's first setting, once (the seed's cm_tibero1.tip)", () => {
    const plan = planOf(compilePlan(cmFailoverSetup, {}, lab));
    expect(verdict(cmFailoverSetup, plan, "nodes[0]/cm-id-set", tb("cm_tibero1.tip"))).toEqual({ ok: true });
    expect(verdict(cmFailoverSetup, plan, "nodes[1]/cm-id-set", tb("cm_tibero1.tip"))).toEqual({ ok: false, reason: "CM_ID is 0, expected 1" });
    const without = tb("cm_tibero1.tip").replace(/^CM_ID=.*\n/m, "");
    expect(verdict(cmFailoverSetup, plan, "nodes[0]/cm-id-set", without)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the first setting is CM_NAME/) });
    expect(verdict(cmFailoverSetup, plan, "nodes[0]/cm-id-set", `${tb("cm_tibero1.tip")}CM_ID=0\n`)).toMatchObject({ ok: false, reason: expect.stringMatching(/^CM_ID is set 2 times/) });
  });

  it("reads the seed's cmrctl and prs_adm outputs: registered-but-DOWN waits, started is UP, prs_adm all running", () => {
    const seed: PlanContext = { ...lab, nodes: lab.nodes.map((n) => ({ ...n })) };
    const plan = planOf(compilePlan(cmFailoverSetup, { clusterName: "cls_tibero" }, seed));
    expect(verdict(cmFailoverSetup, plan, "show-all", tb("cmrctl-show-all-before-groups.txt"))).toEqual({ ok: true });
    const wrongCluster = planOf(compilePlan(cmFailoverSetup, { clusterName: "cls_other" }, seed));
    expect(verdict(cmFailoverSetup, wrongCluster, "show-all", tb("cmrctl-show-all-before-groups.txt"))).toEqual({ ok: false, reason: "no cluster resource cls_other (CM lists cls_tibero)" });
    expect(verdict(cmFailoverSetup, plan, "group-up", tb("cmrctl-show-all-registered.txt"))).toMatchObject({ ok: false, reason: expect.stringContaining("agent agent1 DOWN on cm_tibero1") });
    const started = tb("cmrctl-start-group.txt");
    expect(verdict(cmFailoverSetup, plan, "group-up", started.slice(started.indexOf("Resource List")))).toEqual({ ok: true });
    expect(verdict(cmFailoverSetup, plan, "prs-adm", prs("prs_adm-status.txt"))).toEqual({ ok: true });
    expect(verdict(cmFailoverSetup, plan, "prs-adm", prs("prs_adm-status.txt").replace("CM_ID: 1 is running", "CM_ID: 1 is not running"))).toMatchObject({ ok: false, reason: "agent agent2 not running" });
  });
});
