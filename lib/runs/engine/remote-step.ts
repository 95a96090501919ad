// Runs one remote step's command (precheck, verify, action, or one poll of a wait-until) through the
// audited SSH path, with the run's cancel request able to kill it and its output streamed.
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { runOnHost, type RemoteResult } from "@/lib/remote/run-on-host";
import type { AuditActor } from "@/lib/audit/types";
import type { PlanStdin } from "../plan-schema";
import type { TargetCache } from "@/lib/remote/target-cache";
import type { OutputSink } from "./output";

export type RemoteStepScope = {
  /** Empty for the wizard's preview, which has no run yet. */
  runId: string;
  stepNumber: number;
  actor: AuditActor;
  clusterId: string | null;
  clusterName: string;
  nodeName: string;
  hostId: string;
};

export type StdinResult = { ok: true; stdin: string | undefined } | { ok: false; message: string };

/** The step's stdin: the credential's secret (first line), then the plan's text. */
export async function stdinFor(spec: PlanStdin): Promise<StdinResult> {
  if (!spec) return { ok: true, stdin: undefined };
  let secretLine = "";
  if (spec.credential) {
    const credential = await db.credential.findUnique({ where: { id: spec.credential } }).catch(() => null);
    if (!credential) return { ok: false, message: `credential ${spec.credential} no longer exists; choose another and start a new run` };
    try {
      const sealed = JSON.parse(open(credential.sealed, credential.id)) as { secret: string };
      secretLine = `${sealed.secret}\n`;
    } catch {
      return { ok: false, message: `credential ${credential.name} cannot be opened with this KEEL_SECRET_KEY` };
    }
  }
  return { ok: true, stdin: secretLine + (spec.text ?? "") };
}

export async function runRemote(
  scope: RemoteStepScope,
  argv: string[],
  opts: { timeoutMs: number; signal: AbortSignal; stdin: string | undefined; sink: OutputSink | null; targets?: TargetCache },
): Promise<RemoteResult> {
  const { sink } = opts;
  return runOnHost(
    {
      actor: scope.actor,
      clusterId: scope.clusterId,
      clusterName: scope.clusterName,
      nodeName: scope.nodeName,
      ...(scope.runId ? { purpose: "run step", run: { id: scope.runId, step: scope.stepNumber } } : { purpose: `plan preview, step ${scope.stepNumber}` }),
    },
    scope.hostId,
    argv,
    {
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      stdin: opts.stdin,
      targets: opts.targets,
      ...(sink ? { onStdout: (chunk: string) => sink.write("stdout", chunk), onStderr: (chunk: string) => sink.write("stderr", chunk) } : {}),
    },
  );
}

/** A probe's answer: the command ran (any exit code is for the assertion to judge) or why there is none. */
export function probeOutput(result: RemoteResult): { ok: true; output: { exitCode: number; stdout: string; stderr: string } } | { ok: false; message: string } {
  if (result.ok) return { ok: true, output: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr } };
  if ((result.kind === "non-zero-exit" || result.kind === "command-not-found") && result.exitCode !== null) {
    return { ok: true, output: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr } };
  }
  return { ok: false, message: result.message };
}

export function lastLines(text: string, lines = 5): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
