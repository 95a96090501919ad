// Inventories the procedure tests compile against: the lab's PostgreSQL clusters as lab/estate defines
// them (the bare 15 pair pg3/pg4, the streaming 15 pair pg1/pg2, the PostgreSQL 11 pair) and the
// seed's two 9.6 servers (172.40.40.197 primary, .196 standby).
import { demoEstate } from "../../../../lab/estate/definition";
import { evaluateProbe, probesForPlan } from "../../../runs/evaluate";
import type { CheckResult, Procedure } from "../../../runs/model";
import type { CompileResult, PlanContext } from "../../../runs/plan";
import type { Plan } from "../../../runs/plan-schema";

function labContext(name: string): PlanContext {
  const c = demoEstate().clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no lab cluster ${name}`);
  const hosts = demoEstate().hosts;
  return {
    engine: "POSTGRESQL",
    version: c.version,
    settings: c.settings,
    nodes: c.nodes.map((n) => ({ name: n.name, type: n.type, role: n.role, group: n.group ?? null, hostName: n.host, hostAddress: hosts.find((h) => h.name === n.host)?.address ?? "" })),
  };
}

export const bare15 = labContext("pg-bare");
export const streaming15 = labContext("pg-streaming");
export const streaming11 = labContext("pg11-streaming");

export const seed96: PlanContext = {
  engine: "POSTGRESQL",
  version: "9.6",
  settings: { PGDATA: "/home/goodus/pgsql/data", PGPORT: 5432, PGBIN: "/home/goodus/pgsql/bin" },
  nodes: [
    { name: "172.40.40.197:5432", type: "server", role: "primary", group: null, hostName: "postgresql96", hostAddress: "172.40.40.197" },
    { name: "172.40.40.196:5432", type: "server", role: "standby", group: null, hostName: "postgresql96_slave", hostAddress: "172.40.40.196" },
  ],
};

export function planOf(result: CompileResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

export function verdict(procedure: Procedure, plan: Plan, key: string, stdout: string, exitCode = 0, stderr = ""): CheckResult {
  const probes = probesForPlan(procedure, JSON.parse(JSON.stringify(plan)) as Plan);
  if (!probes.ok) throw new Error(probes.message);
  const step = probes.byKey.get(key);
  if (!step) throw new Error(`no step ${key}`);
  return evaluateProbe(step, { exitCode, stdout, stderr });
}

export function outline(plan: Plan): string[] {
  return plan.steps.map((s) => `${s.key} ${s.kind}${"host" in s ? ` @${s.host.hostName}` : ""}`);
}

export function argvOf(plan: Plan, key: string): string[] {
  const step = plan.steps.find((s) => s.key === key);
  if (!step || !("argv" in step)) throw new Error(`no remote step ${key}`);
  return step.argv;
}

export function stdinOf(plan: Plan, key: string): { text?: string; credential?: string } | null {
  const step = plan.steps.find((s) => s.key === key);
  if (!step || !("stdin" in step)) throw new Error(`no remote step ${key}`);
  return step.stdin;
}
