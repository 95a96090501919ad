import { describe, expect, it } from "vitest";
import { z } from "zod";

import { execSnapshotArgv } from "../engines/machbase/commands";
import { inventory, rollingRestart } from "./example-procedure.test-fixture";
import { defineProcedure, type ProbeOutput } from "./model";
import { bindProcedure, compilePlan, planDigest, stepKey, type CompileResult } from "./plan";
import { planSchema, type Plan } from "./plan-schema";

const params = { nodes: ["10.0.0.3:5301", "10.0.0.2:5301"], reason: "kernel patch" };

function planOf(result: CompileResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** The same value with every object's keys in reverse order, at every depth. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  return value;
}

const coordinator = { hostName: "coord-1", hostAddress: "10.0.0.1", nodeName: "10.0.0.1:5101" };

describe("compilePlan", () => {
  it("compiles a two-node rolling restart into the concrete plan", () => {
    const plan = planOf(compilePlan(rollingRestart, params, inventory));
    expect(plan).toEqual({
      format: 1,
      procedureId: "test.rolling-restart",
      title: "Rolling restart",
      engine: "MACHBASE",
      mutating: true,
      approval: "none",
      requiresSecondDba: false,
      params: { nodes: ["10.0.0.3:5301", "10.0.0.2:5301"], reason: "kernel patch", waitSeconds: 120 },
      inventory,
      steps: [
        {
          index: 0,
          key: "cluster-healthy",
          stepId: "cluster-healthy",
          kind: "precheck",
          title: "Cluster is healthy",
          item: null,
          help: null,
          host: coordinator,
          argv: ["machcoordinatoradmin", "--cluster-status-full"],
          stdin: null,
          timeoutMs: 30_000,
        },
        ...["10.0.0.3:5301", "10.0.0.2:5301"].flatMap((node, i) => {
          const item = { blockId: "per-node", blockTitle: "Restart node", index: i, label: node, value: node };
          return [
            {
              index: 1 + i * 3,
              key: `per-node[${i}]/shutdown`,
              stepId: "shutdown",
              kind: "action",
              title: `Shut down ${node}`,
              item,
              help: `Check ${node} with --cluster-status-full; start it again with --startup-node=${node}.`,
              host: coordinator,
              argv: ["machcoordinatoradmin", `--shutdown-node=${node}`],
              stdin: null,
              idempotent: true,
              setsRoles: [],
              timeoutMs: 600_000,
            },
            {
              index: 2 + i * 3,
              key: `per-node[${i}]/startup`,
              stepId: "startup",
              kind: "action",
              title: `Start ${node}`,
              item,
              help: "Leave the cluster as it is; the remaining nodes were not touched.",
              host: coordinator,
              argv: ["machcoordinatoradmin", `--startup-node=${node}`],
              stdin: null,
              idempotent: false,
              setsRoles: [],
              timeoutMs: 600_000,
            },
            {
              index: 3 + i * 3,
              key: `per-node[${i}]/back-normal`,
              stepId: "back-normal",
              kind: "wait-until",
              title: `Wait until ${node} is normal`,
              item,
              help: null,
              host: coordinator,
              argv: ["machcoordinatoradmin", "--cluster-status-full"],
              stdin: null,
              timeoutMs: 120_000,
              pollMs: 2_000,
              probeTimeoutMs: 30_000,
            },
          ];
        }),
        {
          index: 7,
          key: "cluster-healthy-after",
          stepId: "cluster-healthy-after",
          kind: "verify",
          title: "Cluster healthy after restarting 2 node(s)",
          item: null,
          help: null,
          host: coordinator,
          argv: ["machcoordinatoradmin", "--cluster-status-full"],
          stdin: null,
          timeoutMs: 30_000,
        },
      ],
    });
  });

  it("expands forEach items in the order the parameter lists them, each item's steps together", () => {
    const plan = planOf(compilePlan(rollingRestart, { ...params, nodes: ["10.0.0.2:5301", "10.0.0.3:5301", "10.0.0.9:5301"] }, inventory));
    expect(plan.steps.map((s) => s.key)).toEqual([
      "cluster-healthy",
      "per-node[0]/shutdown",
      "per-node[0]/startup",
      "per-node[0]/back-normal",
      "per-node[1]/shutdown",
      "per-node[1]/startup",
      "per-node[1]/back-normal",
      "per-node[2]/shutdown",
      "per-node[2]/startup",
      "per-node[2]/back-normal",
      "cluster-healthy-after",
    ]);
    expect(plan.steps.map((s) => s.index)).toEqual(plan.steps.map((_, i) => i));
    expect(plan.steps.filter((s) => s.stepId === "shutdown").map((s) => s.item?.label)).toEqual(["10.0.0.2:5301", "10.0.0.3:5301", "10.0.0.9:5301"]);
  });

  it("reports every bad parameter by field", () => {
    const result = compilePlan(rollingRestart, { nodes: ["10.0.0.2:5301", "no port"], reason: "x", waitSeconds: -1 }, inventory);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { kind: "param", field: "nodes.1", message: "host:port" },
      { kind: "param", field: "reason", message: "say why, at least 3 characters" },
      { kind: "param", field: "waitSeconds", message: expect.any(String) },
    ]);
  });

  it("refuses a host selector that matches no host, naming the step", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [
        { kind: "action", id: "on-node", title: "x", host: { node: ({ params }) => params.nodes[0] ?? "" }, argv: ["true"], idempotent: true, onFailure: "" },
        { kind: "precheck", id: "on-broker", title: "y", host: { where: { type: "broker" } }, argv: ["true"], assert: () => ({ ok: true }) },
        { kind: "verify", id: "on-host", title: "z", host: { host: "nowhere" }, argv: ["true"], assert: () => ({ ok: true }) },
      ],
    });
    const result = compilePlan(procedure, { ...params, nodes: ["10.0.0.9:5301"] }, inventory);
    expect(result).toEqual({
      ok: false,
      errors: [
        { kind: "step", step: "on-node", message: "node 10.0.0.9:5301 matches no host: 10.0.0.9:5301 is not a node of this cluster" },
        { kind: "step", step: "on-broker", message: "nodes with type broker matches no host" },
        { kind: "step", step: "on-host", message: "host nowhere matches no host of this cluster" },
      ],
    });
  });

  it("refuses a selector matching several hosts unless told to pick the first", () => {
    const step = (pick: "only" | "first") =>
      defineProcedure({
        ...rollingRestart,
        steps: [{ kind: "precheck", id: "wh", title: "w", host: { where: { type: "warehouse" }, pick }, argv: ["true"], assert: () => ({ ok: true }) }],
      });
    expect(compilePlan(step("only"), params, inventory)).toEqual({
      ok: false,
      errors: [{ kind: "step", step: "wh", message: "nodes with type warehouse matches 2 hosts (wh-a, wh-b); expected one" }],
    });
    const plan = planOf(compilePlan(step("first"), params, inventory));
    expect(plan.steps[0]).toMatchObject({ host: { hostName: "wh-a", nodeName: "10.0.0.2:5301" } });
  });

  it("refuses an argv builder's error and a procedure for another engine", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [{ kind: "action", id: "bad", title: "b", host: { host: "coord-1" }, argv: { ok: false, field: "group", message: "no spaces" }, idempotent: false, onFailure: "" }],
    });
    expect(compilePlan(procedure, params, inventory)).toEqual({ ok: false, errors: [{ kind: "step", step: "bad", message: "command refused: group: no spaces" }] });
    expect(compilePlan(rollingRestart, params, { ...inventory, engine: "GBASE" })).toMatchObject({ ok: false, errors: [{ kind: "procedure" }] });
  });

  it("marks a plan with a destructive confirm as needing a second DBA", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [{ kind: "confirm", id: "ok", title: "Go?", text: ({ params }) => `Restart ${params.nodes.join(", ")}`, destructive: true }],
    });
    const plan = planOf(compilePlan(procedure, params, inventory));
    expect(plan.requiresSecondDba).toBe(true);
    expect(plan.steps).toEqual([
      { index: 0, key: "ok", stepId: "ok", kind: "confirm", title: "Go?", item: null, help: null, text: "Restart 10.0.0.3:5301, 10.0.0.2:5301", destructive: true },
    ]);
  });

  it("refuses duplicate step ids", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [
        { kind: "confirm", id: "same", title: "a", text: "a", destructive: false },
        { kind: "confirm", id: "same", title: "b", text: "b", destructive: false },
      ],
    });
    expect(compilePlan(procedure, params, inventory)).toMatchObject({ ok: false, errors: [{ kind: "procedure", message: "step ids used more than once: same" }] });
  });
});

describe("engine argv builders", () => {
  it("takes lib/engines builders' results and refuses their errors while planning", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      parameters: z.object({ group: z.string() }),
      steps: [{ kind: "action", id: "snap", title: "Snapshot", host: { where: { type: "coordinator" } }, argv: ({ params }) => execSnapshotArgv({ group: params.group }), idempotent: true, onFailure: "" }],
    });
    const built = execSnapshotArgv({ group: "group1" });
    if (!built.ok) throw new Error("expected an argv");
    expect(planOf(compilePlan(procedure, { group: "group1" }, inventory)).steps[0]).toMatchObject({ argv: built.argv });
    expect(compilePlan(procedure, { group: "group 1; rm" }, inventory)).toMatchObject({ ok: false, errors: [{ kind: "step", step: "snap", message: expect.stringMatching(/^command refused: group: /) }] });
  });

  it("refuses a parameter schema whose stored output would not read back the same", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      parameters: z.object({ n: z.string().transform((v) => `${v}!`) }),
      steps: [{ kind: "confirm", id: "c", title: "c", text: "c", destructive: false }],
    });
    expect(compilePlan(procedure, { n: "a" }, inventory)).toMatchObject({ ok: false, errors: [{ kind: "procedure" }] });
  });
});

describe("plan storage", () => {
  it("survives a JSON round trip unchanged and still matches the schema", () => {
    const plan = planOf(compilePlan(rollingRestart, params, inventory));
    const restored: unknown = JSON.parse(JSON.stringify(plan));
    expect(restored).toStrictEqual(plan);
    expect(planSchema.parse(restored)).toStrictEqual(plan);
  });

  it("has a digest independent of key order that changes when a step changes", () => {
    const plan = planOf(compilePlan(rollingRestart, params, inventory));
    const reversed = reverseKeys(plan) as Plan;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(plan));
    expect(planDigest(reversed)).toBe(planDigest(plan));
    expect(planDigest(plan)).toMatch(/^[0-9a-f]{64}$/);

    const changed = structuredClone(plan);
    const step = changed.steps[2];
    if (step?.kind !== "action") throw new Error("expected the startup action");
    step.argv = [...step.argv, "--force"];
    expect(planDigest(changed)).not.toBe(planDigest(plan));
  });
});

describe("bindProcedure", () => {
  it("gives the engine each step's assertion bound to the plan's parameters and item", () => {
    const plan = planOf(compilePlan(rollingRestart, params, inventory));
    const bound = bindProcedure(rollingRestart, rollingRestart.parameters.parse(plan.params), plan.inventory);
    if (!bound.ok) throw new Error("expected bound steps");
    expect(bound.steps.map(stepKey)).toEqual(plan.steps.map((s) => s.key));
    const wait = bound.steps.find((s) => stepKey(s) === "per-node[1]/back-normal");
    const output = (stdout: string): ProbeOutput => ({ exitCode: 0, stdout, stderr: "" });
    expect(wait?.check?.(output("10.0.0.2:5301 normal"))).toEqual({ ok: true });
    expect(wait?.check?.(output("10.0.0.3:5301 normal"))).toEqual({ ok: false, reason: "10.0.0.2:5301 not normal yet" });
    expect(wait?.progress?.(output("first line\nsecond"))).toBe("first line");
    const precheck = bound.steps[0];
    expect(precheck?.check?.({ exitCode: 2, stdout: "", stderr: "" })).toEqual({ ok: false, reason: "status probe exited 2" });
  });

  it("reports a step function that throws against its step", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [
        {
          kind: "confirm",
          id: "boom",
          title: () => {
            throw new Error("bug");
          },
          text: "",
          destructive: false,
        },
      ],
    });
    expect(compilePlan(procedure, params, inventory)).toEqual({ ok: false, errors: [{ kind: "step", step: "boom", message: "could not be prepared: bug" }] });
  });
});

describe("parameter schema types", () => {
  it("accepts schemas whose output differs from input (defaults)", () => {
    const procedure = defineProcedure({
      ...rollingRestart,
      parameters: z.object({ count: z.number().default(2) }),
      steps: [{ kind: "confirm", id: "c", title: ({ params }) => `count ${params.count}`, text: "t", destructive: false }],
    });
    expect(planOf(compilePlan(procedure, {}, inventory)).steps[0]?.title).toBe("count 2");
  });
});
