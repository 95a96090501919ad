import type { AuditActor } from "@/lib/audit/types";
import { db } from "@/lib/db";
import type { EngineName } from "@/lib/inventory/engines";
import { runOnHost } from "@/lib/remote/run-on-host";
import { probe } from "./probers";
import type { ClusterObservation, ProbeTarget, RemoteRunner } from "./types";

export const PROBER_ACTOR: AuditActor = { id: null, email: "keel-prober", role: "SYSTEM" };

/** The inventory of one cluster in the shape probers take, plus host ids by name for the runner. */
export async function probeTargetOf(clusterId: string): Promise<{ target: ProbeTarget; hostIds: Map<string, string>; name: string } | null> {
  const cluster = await db.cluster.findUnique({
    where: { id: clusterId },
    include: { nodes: { include: { host: true, group: true }, orderBy: { name: "asc" } } },
  });
  if (!cluster) return null;
  const hostIds = new Map(cluster.nodes.map((n) => [n.host.name, n.host.id]));
  return {
    name: cluster.name,
    hostIds,
    target: {
      engine: cluster.engine as EngineName,
      version: cluster.version,
      settings: cluster.settings as Record<string, string | number>,
      nodes: cluster.nodes.map((n) => ({ name: n.name, type: n.type, role: n.role, group: n.group?.name ?? null, hostName: n.host.name, hostAddress: n.host.address })),
    },
  };
}

/** Probes one cluster over audited SSH and stores the sample. Never throws for a remote problem. */
export async function sampleCluster(clusterId: string, opts: { actor?: AuditActor; timeoutMs?: number } = {}): Promise<ClusterObservation | null> {
  const loaded = await probeTargetOf(clusterId);
  if (!loaded) return null;
  const started = Date.now();
  const actor = opts.actor ?? PROBER_ACTOR;
  const run: RemoteRunner = async (hostName, argv, runOpts) => {
    const hostId = loaded.hostIds.get(hostName);
    if (!hostId) return { ok: false, message: `no host named ${hostName} in cluster ${loaded.name}`, exitCode: null, stdout: "", stderr: "" };
    const result = await runOnHost({ actor, clusterId, clusterName: loaded.name, purpose: "status probe" }, hostId, argv, {
      timeoutMs: runOpts?.timeoutMs ?? opts.timeoutMs ?? 15_000,
      stdin: runOpts?.stdin,
    });
    // A command that ran and exited non-zero is an answer for the prober to judge (psql's error, a
    // tool's refusal); only transport and trust problems are failures here.
    if (result.ok) return { ok: true, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    if ((result.kind === "non-zero-exit" || result.kind === "command-not-found") && result.exitCode !== null) {
      return { ok: true, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    return { ok: false, message: result.message, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };
  const observation =
    loaded.target.nodes.length === 0
      ? { health: "unknown" as const, reason: "no nodes in the inventory yet", nodes: [], panels: {}, errors: [] }
      : await probe(loaded.target, run);
  await db.statusSample.create({
    data: { clusterId, health: observation.health, reason: observation.reason, observation: observation as object, durationMs: Date.now() - started },
  });
  return observation;
}
