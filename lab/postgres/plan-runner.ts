// Test support: carries out a compiled plan on this machine the way Keel does over SSH — each step's
// argv as the lab user of the host the plan names, with that host's login environment, stdin fed with
// the credential's secret as the first line and then the plan's text; probes judged by the
// procedure's own assertions (evaluate.ts), wait-until polled against its deadline, confirms approved.
import { spawn } from "node:child_process";

import { describeProgress, evaluateProbe, probesForPlan } from "../../lib/runs/evaluate";
import type { ProbeOutput, Procedure } from "../../lib/runs/model";
import type { Plan, PlanStep } from "../../lib/runs/plan-schema";
import { lookupAccount } from "./run-as";

export type LocalHost = { user: string; env: Record<string, string> };
export type StepRecord = { key: string; kind: PlanStep["kind"]; ok: boolean; output: ProbeOutput | null; note: string; startedAt: number; ms: number };
export type PlanOutcome = { ok: true; steps: StepRecord[] } | { ok: false; steps: StepRecord[]; failedAt: string; reason: string };

export type RunOptions = {
  hosts: Record<string, LocalHost>;
  /** Credential id → secret. */
  secrets?: Record<string, string>;
  /** Stop (successfully) before this step key: to run a plan up to a point. */
  stopBefore?: string;
  /** Caps every wait-until (tests must not wait for a procedure's production timeouts). */
  maxWaitMs?: number;
};

export async function runAsHost(host: LocalHost, argv: readonly string[], stdin: string, timeoutMs: number): Promise<ProbeOutput> {
  const account = await lookupAccount(host.user);
  const [file, ...args] = argv;
  if (!file) return { exitCode: 127, stdout: "", stderr: "empty argv" };
  const env = { PATH: "/usr/bin:/bin", HOME: account.home, USER: host.user, LOGNAME: host.user, LANG: "C.UTF-8", ...host.env };
  return new Promise((resolve) => {
    const child = spawn(file, args, { uid: account.uid, gid: account.gid, cwd: account.home, env: env as unknown as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, stdout, stderr: stderr + e.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin);
  });
}

function stdinOf(step: Extract<PlanStep, { host: unknown }>, secrets: Record<string, string>): string {
  if (!step.stdin) return "";
  const secret = step.stdin.credential !== undefined ? `${secrets[step.stdin.credential] ?? ""}\n` : "";
  return secret + (step.stdin.text ?? "");
}

export async function runPlan(procedure: Procedure, plan: Plan, o: RunOptions): Promise<PlanOutcome> {
  const probes = probesForPlan(procedure, plan);
  if (!probes.ok) return { ok: false, steps: [], failedAt: "(plan)", reason: probes.message };
  const steps: StepRecord[] = [];
  const fail = (key: string, reason: string): PlanOutcome => ({ ok: false, steps, failedAt: key, reason });
  for (const step of plan.steps) {
    if (step.key === o.stopBefore) break;
    const startedAt = Date.now();
    const timing = () => ({ startedAt, ms: Date.now() - startedAt });
    if (step.kind === "confirm") {
      steps.push({ key: step.key, kind: step.kind, ok: true, output: null, note: "approved", ...timing() });
      continue;
    }
    const host = o.hosts[step.host.hostName];
    if (!host) return fail(step.key, `no local host ${step.host.hostName}`);
    const input = stdinOf(step, o.secrets ?? {});
    const bound = probes.byKey.get(step.key);
    if (step.kind === "action") {
      const out = await runAsHost(host, step.argv, input, step.timeoutMs);
      steps.push({ key: step.key, kind: step.kind, ok: out.exitCode === 0, output: out, note: "", ...timing() });
      if (out.exitCode !== 0) return fail(step.key, `exit ${out.exitCode}: ${(out.stderr || out.stdout).trim()}`);
      continue;
    }
    if (!bound) return fail(step.key, "no assertion for this step");
    if (step.kind === "precheck" || step.kind === "verify") {
      const out = await runAsHost(host, step.argv, input, step.timeoutMs);
      const verdict = evaluateProbe(bound, out);
      steps.push({ key: step.key, kind: step.kind, ok: verdict.ok, output: out, note: verdict.ok ? "" : verdict.reason, ...timing() });
      if (!verdict.ok) return fail(step.key, verdict.reason);
      continue;
    }
    const deadline = Date.now() + Math.min(step.timeoutMs, o.maxWaitMs ?? step.timeoutMs);
    for (;;) {
      const out = await runAsHost(host, step.argv, input, step.probeTimeoutMs);
      const verdict = evaluateProbe(bound, out);
      if (verdict.ok) {
        steps.push({ key: step.key, kind: step.kind, ok: true, output: out, note: describeProgress(bound, out), ...timing() });
        break;
      }
      if (Date.now() > deadline) {
        steps.push({ key: step.key, kind: step.kind, ok: false, output: out, note: verdict.reason, ...timing() });
        return fail(step.key, `timed out: ${verdict.reason}`);
      }
      // The poll interval of a test: short, since every poll is a real query against the deadline.
      await new Promise((r) => setTimeout(r, Math.min(step.pollMs, 200)));
    }
  }
  return { ok: true, steps };
}
