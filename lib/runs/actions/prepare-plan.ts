// Compiles a procedure's plan for a cluster as it is now: inventory facts override the form's values.
import { fail, ok, type AppError, type Result } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { describeParameters } from "../parameters";
import { findProcedure } from "../catalog";
import { inventoryParams, loadRunContext, type RunContext } from "../context";
import type { Procedure } from "../model";
import { compilePlan, planDigest } from "../plan";
import type { Plan } from "../plan-schema";

export type PreparedPlan = { procedure: Procedure; plan: Plan; digest: string; run: RunContext };

export async function preparePlan(input: { clusterId: string; procedureId: string; params: Record<string, unknown> }): Promise<Result<PreparedPlan>> {
  const procedure = findProcedure(input.procedureId);
  if (!procedure) return fail({ code: "NOT_FOUND", message: `There is no procedure ${input.procedureId}.` });
  const run = await loadRunContext(input.clusterId);
  if (!run) return fail({ code: "NOT_FOUND", message: "This cluster does not exist (it may have been deleted)." });
  const missing = await missingCredentials(procedure, input.params);
  if (missing) return fail(missing);
  const facts = inventoryParams(procedure, run);
  const compiled = compilePlan(procedure, { ...input.params, ...facts }, run.context);
  if (!compiled.ok) return fail(planErrors(compiled.errors));
  return ok({ procedure, plan: compiled.plan, digest: planDigest(compiled.plan), run });
}

/** A parameter naming a credential must name one that exists (its secret is only read when a step runs). */
async function missingCredentials(procedure: Procedure, params: Record<string, unknown>): Promise<AppError | null> {
  const fieldErrors: Record<string, string[]> = {};
  for (const field of describeParameters(procedure.parameters).filter((f) => f.input === "credential")) {
    const value = params[field.name];
    if (typeof value !== "string" || value === "") continue;
    const exists = /^[0-9a-f-]{36}$/.test(value) && (await db.credential.count({ where: { id: value } })) > 0;
    if (!exists) fieldErrors[`params.${field.name}`] = ["No stored credential has this id: choose one from the list."];
  }
  return Object.keys(fieldErrors).length > 0 ? { code: "VALIDATION", message: "The plan cannot be made with these parameters.", fieldErrors } : null;
}

function planErrors(errors: { kind: string; field?: string; step?: string; message: string }[]): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const error of errors) {
    const key = error.kind === "param" && error.field ? `params.${error.field}` : "_form";
    (fieldErrors[key] ??= []).push(error.kind === "step" && error.step ? `${error.step}: ${error.message}` : error.message);
  }
  return { code: "VALIDATION", message: "The plan cannot be made with these parameters.", fieldErrors };
}
