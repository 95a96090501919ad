// Inventories the procedure tests compile against: the lab's Machbase layout (lab/estate/definition.ts
// machbaseCluster on mach1–mach4) and the seed's own cluster (fixtures/, every node on localhost).
import { readFileSync } from "node:fs";
import path from "node:path";

import { probesForPlan, evaluateProbe } from "../../../runs/evaluate";
import type { CheckResult, Procedure } from "../../../runs/model";
import type { CompileResult, PlanContext } from "../../../runs/plan";
import type { Plan } from "../../../runs/plan-schema";

const LAB_HOME = "/srv/keel-lab/machbase-lab.homes/mach1/machbase";

export const labCluster: PlanContext = {
  engine: "MACHBASE",
  version: "6.5",
  settings: { MACH_COORDINATOR_HOME: LAB_HOME, MACH_DEPLOYER_HOME: LAB_HOME },
  nodes: [
    { name: "127.0.0.21:5101", type: "coordinator", role: "primary", group: null, hostName: "mach1", hostAddress: "127.0.0.21" },
    { name: "127.0.0.22:5101", type: "coordinator", role: "normal", group: null, hostName: "mach2", hostAddress: "127.0.0.22" },
    { name: "127.0.0.21:5201", type: "deployer", role: "normal", group: null, hostName: "mach1", hostAddress: "127.0.0.21" },
    { name: "127.0.0.22:5301", type: "broker", role: "leader", group: null, hostName: "mach2", hostAddress: "127.0.0.22" },
    { name: "127.0.0.23:5302", type: "broker", role: "normal", group: null, hostName: "mach3", hostAddress: "127.0.0.23" },
    { name: "127.0.0.23:5401", type: "warehouse", role: "normal", group: "group1", hostName: "mach3", hostAddress: "127.0.0.23" },
    { name: "127.0.0.24:5402", type: "warehouse", role: "normal", group: "group1", hostName: "mach4", hostAddress: "127.0.0.24" },
    { name: "127.0.0.23:5501", type: "warehouse", role: "normal", group: "group2", hostName: "mach3", hostAddress: "127.0.0.23" },
    { name: "127.0.0.24:5502", type: "warehouse", role: "normal", group: "group2", hostName: "mach4", hostAddress: "127.0.0.24" },
  ],
};

export const LAB_PRIMARY = { hostName: "mach1", hostAddress: "127.0.0.21", nodeName: "127.0.0.21:5101" };

/** The seed's cluster (fixtures/initial-cluster.txt), all on one host. */
export const seedCluster: PlanContext = {
  engine: "MACHBASE",
  version: "6.5",
  settings: { MACH_COORDINATOR_HOME: "/home/machbase/coordinator", MACH_DEPLOYER_HOME: "/home/machbase/deployer" },
  nodes: [
    ["localhost:30110", "coordinator", "primary", null],
    ["localhost:30120", "coordinator", "normal", null],
    ["localhost:30210", "deployer", "normal", null],
    ["localhost:30310", "broker", "leader", null],
    ["localhost:30320", "broker", "normal", null],
    ["localhost:30410", "warehouse", "normal", "group1"],
    ["localhost:30420", "warehouse", "normal", "group1"],
    ["localhost:30510", "warehouse", "normal", "group2"],
    ["localhost:30520", "warehouse", "normal", "group2"],
  ].map(([name, type, role, group]) => ({ name: name ?? "", type: type ?? "", role: role ?? "", group: group ?? null, hostName: "seed", hostAddress: "127.0.0.1" })),
};

export function fixture(name: string): string {
  return readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");
}

export function planOf(result: CompileResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** A step's verdict on a stored plan, bound as the engine binds it. */
export function verdict(procedure: Procedure, plan: Plan, key: string, stdout: string, exitCode = 0): CheckResult {
  const probes = probesForPlan(procedure, JSON.parse(JSON.stringify(plan)) as Plan);
  if (!probes.ok) throw new Error(probes.message);
  const step = probes.byKey.get(key);
  if (!step) throw new Error(`no step ${key}`);
  return evaluateProbe(step, { exitCode, stdout, stderr: "" });
}

export function outline(plan: Plan): string[] {
  return plan.steps.map((s) => `${s.key} ${s.kind}${"host" in s ? ` @${s.host.hostName}` : ""}`);
}
