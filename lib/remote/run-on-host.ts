import { recordAudit } from "@/lib/audit/append";
import type { AuditActor } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { exec, type ExecResult, type SshError } from "@/lib/ssh";
import { loadTarget } from "./load-target";
import type { TargetCache } from "./target-cache";
import { outputDigest } from "./output-digest";

export type RemoteScope = {
  actor: AuditActor;
  clusterId?: string | null;
  clusterName?: string;
  nodeName?: string;
  purpose?: string;
  /** The run and step (1-based) the command belongs to, so the audit row links to its run. */
  run?: { id: string; step: number };
};

export type RemoteResult =
  | { ok: true; exitCode: number; stdout: string; stderr: string; durationMs: number }
  | { ok: false; message: string; kind: SshError["kind"] | "inventory"; exitCode: number | null; stdout: string; stderr: string; durationMs: number };

export type RunOptions = {
  timeoutMs?: number;
  signal?: AbortSignal;
  stdin?: string;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** A run's short-lived cache of loaded targets (see target-cache.ts). */
  targets?: TargetCache;
};

function runRef(scope: RemoteScope): { runId?: string; step?: number } {
  return scope.run ? { runId: scope.run.id, step: scope.run.step } : {};
}

/**
 * The one way Keel runs a command on a host: argv quoted by lib/ssh, the pinned host key enforced,
 * and an audit row for every attempt (who, cluster, host, exact argv, exit code, duration, output
 * digest and excerpt). A host-key mismatch also raises the alert on the host.
 */
export async function runOnHost(scope: RemoteScope, hostId: string, argv: string[], opts: RunOptions = {}): Promise<RemoteResult> {
  const started = Date.now();
  const loaded = opts.targets ? await opts.targets.load(hostId) : await loadTarget(hostId);
  if (!loaded.ok) {
    await recordAudit(scope.actor, {
      action: "ssh.exec",
      outcome: "failed",
      clusterId: scope.clusterId ?? null,
      clusterName: scope.clusterName ?? "",
      hostId,
      hostName: loaded.host?.name ?? "",
      nodeName: scope.nodeName ?? "",
      payload: { argv, purpose: scope.purpose ?? "", ...runRef(scope), error: loaded.message },
    });
    return { ok: false, kind: loaded.kind, message: loaded.message, exitCode: null, stdout: "", stderr: "", durationMs: 0 };
  }
  const result: ExecResult = await exec(loaded.target, argv, {
    timeoutMs: opts.timeoutMs ?? 60_000,
    signal: opts.signal,
    stdin: opts.stdin,
    onStdout: opts.onStdout,
    onStderr: opts.onStderr,
  });
  const output = result.ok ? result : result.output;
  const durationMs = Date.now() - started;
  if (!result.ok && result.error.kind === "host-key-mismatch") {
    opts.targets?.forget(hostId);
    await db.host.update({ where: { id: hostId }, data: { hostKeyMismatchFingerprint: result.error.got, hostKeyMismatchAt: new Date() } });
  }
  await recordAudit(scope.actor, {
    action: result.ok ? "ssh.exec" : result.error.kind === "host-key-mismatch" ? "ssh.host_key_mismatch" : "ssh.exec",
    outcome: result.ok && output.exitCode === 0 ? "ok" : "failed",
    clusterId: scope.clusterId ?? null,
    clusterName: scope.clusterName ?? "",
    hostId,
    hostName: loaded.host.name,
    nodeName: scope.nodeName ?? "",
    payload: {
      argv,
      purpose: scope.purpose ?? "",
      ...runRef(scope),
      exitCode: output.exitCode,
      signal: output.signal,
      durationMs,
      stdout: outputDigest(output.stdout),
      stderr: outputDigest(output.stderr),
      ...(result.ok ? {} : { error: { kind: result.error.kind, message: result.error.message } }),
    },
  });
  if (result.ok) return { ok: true, exitCode: output.exitCode ?? 0, stdout: output.stdout, stderr: output.stderr, durationMs };
  return { ok: false, kind: result.error.kind, message: result.error.message, exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr, durationMs };
}
