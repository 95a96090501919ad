// Test-only: executes a compiled plan step by step through a RemoteRunner, as the runbook engine would
// (actions must exit 0, probes must pass their assertion, wait-until polls until it holds), so a
// procedure can be proven against the simulators. Confirm steps are approved; credentials come from a map.
import type { z } from "zod";
import { describeProgress, evaluateProbe, probesForPlan } from "../../lib/runs/evaluate";
import type { Procedure } from "../../lib/runs/model";
import type { Plan, PlanStep } from "../../lib/runs/plan-schema";
import type { RemoteRunner } from "../../lib/status/types";

export type StepRecord = { key: string; kind: PlanStep["kind"]; ok: boolean; reason: string | null; exitCode: number | null; stdout: string; stderr: string; progress: string[] };
export type PlanRun = { ok: boolean; failedAt: string | null; steps: StepRecord[] };

export type RunPlanOptions = {
  /** Cap on every wait-until (the plan's own timeouts are for real clusters). */
  waitCapMs?: number;
  pollMs?: number;
  credentials?: Record<string, string>;
  /** Called before each step runs: a test injects faults here. */
  before?: (key: string) => void | Promise<void>;
};

function stdinOf(step: Extract<PlanStep, { host: unknown }>, credentials: Record<string, string>): string | undefined {
  if (!step.stdin) return undefined;
  const secret = step.stdin.credential === undefined ? "" : `${credentials[step.stdin.credential] ?? ""}\n`;
  return secret + (step.stdin.text ?? "");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPlan<S extends z.ZodObject>(procedure: Procedure<S>, plan: Plan, run: RemoteRunner, o: RunPlanOptions = {}): Promise<PlanRun> {
  const probes = probesForPlan(procedure, plan);
  if (!probes.ok) throw new Error(probes.message);
  const steps: StepRecord[] = [];
  for (const step of plan.steps) {
    await o.before?.(step.key);
    if (step.kind === "confirm") {
      steps.push({ key: step.key, kind: step.kind, ok: true, reason: null, exitCode: null, stdout: "", stderr: "", progress: [] });
      continue;
    }
    const bound = probes.byKey.get(step.key);
    if (!bound) throw new Error(`no bound step ${step.key}`);
    const stdin = stdinOf(step, o.credentials ?? {});
    const exec = async () => {
      const r = await run(step.host.hostName, step.argv, { ...(stdin === undefined ? {} : { stdin }), timeoutMs: 20_000 });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    const progress: string[] = [];
    let out = await exec();
    let verdict: { ok: boolean; reason: string | null };
    if (step.kind === "action") {
      verdict = out.exitCode === 0 ? { ok: true, reason: null } : { ok: false, reason: `exit ${out.exitCode}: ${(out.stderr || out.stdout).trim()}` };
    } else if (step.kind === "wait-until") {
      const deadline = Date.now() + Math.min(step.timeoutMs, o.waitCapMs ?? 15_000);
      for (;;) {
        const check = evaluateProbe(bound, out);
        const line = describeProgress(bound, out);
        if (progress[progress.length - 1] !== line) progress.push(line);
        if (check.ok || Date.now() > deadline) {
          verdict = check.ok ? { ok: true, reason: null } : { ok: false, reason: check.reason };
          break;
        }
        await sleep(o.pollMs ?? 25);
        out = await exec();
      }
    } else {
      const check = evaluateProbe(bound, out);
      verdict = check.ok ? { ok: true, reason: null } : { ok: false, reason: check.reason };
    }
    steps.push({ key: step.key, kind: step.kind, ...verdict, ...out, progress });
    if (!verdict.ok) return { ok: false, failedAt: step.key, steps };
  }
  return { ok: true, failedAt: null, steps };
}
