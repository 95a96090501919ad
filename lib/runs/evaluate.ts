// A stored plan holds commands, not code. The assertions of its probes (precheck, verify, wait-until)
// come from the procedure, applied again to the plan's own parameters and inventory; if the procedure
// has since changed so that its steps no longer line up with the plan, the engine is told so rather
// than checking a step with some other step's assertion.
import { isDeepStrictEqual } from "node:util";

import type { z } from "zod";

import type { BoundStep } from "./bind";
import type { CheckResult, ProbeOutput, Procedure } from "./model";
import { bindProcedure, stepKey } from "./plan";
import type { Plan } from "./plan-schema";

export type PlanProbes = { ok: true; byKey: ReadonlyMap<string, BoundStep> } | { ok: false; message: string };

export function probesForPlan<S extends z.ZodObject>(procedure: Procedure<S>, plan: Plan): PlanProbes {
  if (procedure.id !== plan.procedureId) return { ok: false, message: `the plan is for ${plan.procedureId}, not ${procedure.id}` };
  const params = procedure.parameters.safeParse(plan.params);
  if (!params.success) return { ok: false, message: "the procedure's parameters changed since this run was planned" };
  const bound = bindProcedure(procedure, params.data, plan.inventory);
  if (!bound.ok) return { ok: false, message: `the procedure can no longer be prepared: ${bound.errors.map((e) => e.message).join("; ")}` };
  const lined = bound.steps.length === plan.steps.length && bound.steps.every((b, i) => {
    const step = plan.steps[i];
    return step !== undefined && stepKey(b) === step.key && b.kind === step.kind && isDeepStrictEqual(b.item?.value ?? null, step.item?.value ?? null);
  });
  if (!lined) return { ok: false, message: "the procedure's steps changed since this run was planned; its checks no longer match the plan" };
  return { ok: true, byKey: new Map(bound.steps.map((b) => [stepKey(b), b])) };
}

function thrown(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A probe step's verdict on one output. An assertion that throws is a failed check with the error as reason. */
export function evaluateProbe(step: BoundStep, output: ProbeOutput): CheckResult {
  if (!step.check) return { ok: false, reason: `${step.kind} step ${stepKey(step)} has no assertion` };
  try {
    return step.check(output);
  } catch (error) {
    return { ok: false, reason: `the check itself failed: ${thrown(error)}` };
  }
}

/** The line shown while a wait-until polls: its progress describer, else the assertion's reason. */
export function describeProgress(step: BoundStep, output: ProbeOutput): string {
  try {
    if (step.progress) return step.progress(output);
  } catch (error) {
    return `progress unavailable: ${thrown(error)}`;
  }
  const verdict = evaluateProbe(step, output);
  return verdict.ok ? "condition holds" : verdict.reason;
}
