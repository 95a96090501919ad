// procedure + parameters + the cluster's inventory → the concrete plan: every step with its title, host,
// fully resolved argv, timeouts and help text, in execution order. Errors are values: every bad
// parameter by field, every step that cannot be placed or built, all at once.
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";

import canonicalize from "canonicalize";
import type { z } from "zod";

import type { ProbeTarget } from "../status/types";
import { bindLeaf, type BoundStep } from "./bind";
import { resolveHost } from "./hosts";
import type { ArgvBuild, Procedure, StepScope } from "./model";
import { PLAN_FORMAT, planSchema, type Plan, type PlanStep } from "./plan-schema";

/** What the compiler knows about the cluster: its inventory (nodes on hosts, settings). */
export type PlanContext = ProbeTarget;

export type PlanError =
  | { kind: "param"; field: string; message: string }
  | { kind: "step"; step: string; message: string }
  | { kind: "procedure"; message: string };

export type CompileResult = { ok: true; plan: Plan } | { ok: false; errors: PlanError[] };
export type BindResult = { ok: true; steps: BoundStep[] } | { ok: false; errors: PlanError[] };

/** The stable name of a step in a plan: `stepId`, or `blockId[itemIndex]/stepId` inside a forEach. */
export function stepKey(step: Pick<BoundStep, "stepId" | "item">): string {
  return step.item ? `${step.item.blockId}[${step.item.index}]/${step.stepId}` : step.stepId;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function duplicateIds<S extends z.ZodObject>(procedure: Procedure<S>): string[] {
  const ids = procedure.steps.flatMap((s) => (s.kind === "forEach" ? [s.id, ...s.stepIds] : [s.id]));
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

/**
 * Every step applied to the validated parameters and inventory, forEach blocks expanded in order.
 * The engine calls this again with a stored plan's params and inventory to get the steps' assertions.
 */
export function bindProcedure<S extends z.ZodObject>(procedure: Procedure<S>, params: z.output<S>, context: PlanContext): BindResult {
  const duplicates = duplicateIds(procedure);
  if (duplicates.length > 0) return { ok: false, errors: [{ kind: "procedure", message: `step ids used more than once: ${duplicates.join(", ")}` }] };
  const scope: StepScope<z.output<S>, null> = { params, item: null, settings: context.settings, nodes: context.nodes };
  const steps: BoundStep[] = [];
  const errors: PlanError[] = [];
  for (const step of procedure.steps) {
    try {
      if (step.kind === "forEach") steps.push(...step.expand(scope));
      else steps.push(bindLeaf(step, scope, null));
    } catch (error) {
      // A step function threw: a bug in the procedure, reported against the step rather than crashing the wizard.
      errors.push({ kind: "step", step: step.id, message: `could not be prepared: ${message(error)}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, steps };
}

function argvOf(build: ArgvBuild): { ok: true; argv: string[] } | { ok: false; message: string } {
  if (Array.isArray(build)) return build.length > 0 ? { ok: true, argv: [...build] } : { ok: false, message: "empty command" };
  if ("ok" in build && build.ok) return argvOf(build.argv);
  if ("ok" in build && !build.ok) return { ok: false, message: `${build.field}: ${build.message}` };
  return { ok: false, message: "not a command" };
}

type Placed = { ok: true; step: PlanStep } | { ok: false; error: PlanError };

function place(bound: BoundStep, index: number, context: PlanContext): Placed {
  const key = stepKey(bound);
  const base = { index, key, stepId: bound.stepId, title: bound.title, item: bound.item, help: bound.help };
  const fail = (text: string): Placed => ({ ok: false, error: { kind: "step", step: key, message: text } });
  if (bound.kind === "confirm") {
    if (!bound.confirm) return fail("a confirm step without text");
    return { ok: true, step: { ...base, kind: "confirm", text: bound.confirm.text, destructive: bound.confirm.destructive } };
  }
  if (!bound.host || !bound.argv) return fail("a remote step without a host or command");
  const host = resolveHost(bound.host, context.nodes);
  if (!host.ok) return fail(host.message);
  const argv = argvOf(bound.argv);
  if (!argv.ok) return fail(`command refused: ${argv.message}`);
  const remote = { ...base, host: host.host, argv: argv.argv, stdin: bound.stdin, timeoutMs: bound.timeoutMs ?? 0 };
  switch (bound.kind) {
    case "precheck":
    case "verify":
      return { ok: true, step: { ...remote, kind: bound.kind } };
    case "action": {
      const unknown = bound.setsRoles.find((r) => !context.nodes.some((n) => n.name === r.node));
      if (unknown) return fail(`records a role for ${unknown.node}, which is not a node of this cluster`);
      return { ok: true, step: { ...remote, kind: "action", idempotent: bound.idempotent, setsRoles: [...bound.setsRoles] } };
    }
    case "wait-until":
      return { ok: true, step: { ...remote, kind: "wait-until", pollMs: bound.pollMs ?? 0, probeTimeoutMs: bound.probeTimeoutMs ?? 0 } };
  }
}

function paramErrors(error: z.ZodError): PlanError[] {
  return error.issues.map((issue) => ({ kind: "param", field: issue.path.map(String).join(".") || "parameters", message: issue.message }));
}

function viaJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

// The engine re-validates a stored plan's parameters to re-apply the assertions; that only works when
// the schema's output, stored as JSON, parses back to itself.
function rereadable(schema: z.ZodObject, output: unknown): boolean {
  const stored = viaJson(output);
  const reread = schema.safeParse(stored);
  return reread.success && isDeepStrictEqual(viaJson(reread.data), stored);
}

export function compilePlan<S extends z.ZodObject>(procedure: Procedure<S>, params: unknown, context: PlanContext): CompileResult {
  if (procedure.engine !== context.engine) {
    return { ok: false, errors: [{ kind: "procedure", message: `${procedure.title} is a ${procedure.engine} procedure; this cluster runs ${context.engine}` }] };
  }
  const parsed = procedure.parameters.safeParse(params);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error) };
  if (!rereadable(procedure.parameters, parsed.data)) {
    return { ok: false, errors: [{ kind: "procedure", message: "the validated parameters do not read back the same from storage (a non-idempotent transform in the schema?)" }] };
  }
  const bound = bindProcedure(procedure, parsed.data, context);
  if (!bound.ok) return bound;

  const steps: PlanStep[] = [];
  const errors: PlanError[] = [];
  bound.steps.forEach((step, index) => {
    const placed = place(step, index, context);
    if (placed.ok) steps.push(placed.step);
    else errors.push(placed.error);
  });
  if (steps.length === 0 && errors.length === 0) errors.push({ kind: "procedure", message: "the plan has no steps" });
  if (errors.length > 0) return { ok: false, errors };

  const draft = {
    format: PLAN_FORMAT,
    procedureId: procedure.id,
    title: procedure.title,
    engine: procedure.engine,
    mutating: procedure.mutating,
    approval: procedure.approval,
    requiresSecondDba: procedure.approval === "second-dba" || steps.some((s) => s.kind === "confirm" && s.destructive),
    params: parsed.data,
    inventory: { engine: context.engine, version: context.version, settings: context.settings, nodes: context.nodes },
    steps,
  };
  // Through JSON and back through the schema: what is returned is exactly what a stored run will hold.
  const stored = planSchema.safeParse(viaJson(draft));
  if (!stored.success) {
    return { ok: false, errors: [{ kind: "procedure", message: `the plan is not storable: ${stored.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` }] };
  }
  return { ok: true, plan: stored.data };
}

/** sha256 over the plan's canonical JSON (RFC 8785): equal plans, equal digests, whatever the key order. */
export function planDigest(plan: Plan): string {
  const text = canonicalize(plan);
  if (text === undefined) throw new TypeError("a plan is always JSON");
  return createHash("sha256").update(text).digest("hex");
}
