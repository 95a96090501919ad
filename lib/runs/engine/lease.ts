// One mutating run per cluster: a row in cluster_lease, taken in the transaction that creates the run
// and deleted in the one that ends it. Concurrent starts serialise on the primary key, so exactly one
// wins. A lease whose run has shown no activity past expiresAt may be taken over (its run is aborted).
import type { Tx } from "@/lib/db";

export const LEASE_TTL_MS = Number(process.env.KEEL_RUN_LEASE_TTL_S ?? 12 * 3600) * 1000;

export type LeaseHolder = { runId: string; holder: string; acquiredAt: Date; title: string; state: string };

export type LeaseResult = { ok: true; tookOverFrom: string | null } | { ok: false; held: LeaseHolder };

export async function acquireLease(
  tx: Tx,
  lease: { clusterId: string; runId: string; holderId: string; holder: string },
): Promise<LeaseResult> {
  const expired = await tx.$queryRaw<{ runId: string }[]>`
    DELETE FROM cluster_lease WHERE "clusterId" = ${lease.clusterId}::uuid AND "expiresAt" < now() RETURNING "runId"::text AS "runId"`;
  const inserted = await tx.$queryRaw<{ runId: string }[]>`
    INSERT INTO cluster_lease ("clusterId", "runId", "holderId", "holder", "expiresAt")
    VALUES (${lease.clusterId}::uuid, ${lease.runId}::uuid, ${lease.holderId}, ${lease.holder}, now() + ${LEASE_TTL_MS} * interval '1 millisecond')
    ON CONFLICT ("clusterId") DO NOTHING
    RETURNING "runId"::text AS "runId"`;
  if (inserted.length === 1) return { ok: true, tookOverFrom: expired[0]?.runId ?? null };
  const held = await tx.clusterLease.findUnique({ where: { clusterId: lease.clusterId }, include: { run: { select: { title: true, state: true } } } });
  if (!held) return { ok: false, held: { runId: "", holder: "another run", acquiredAt: new Date(), title: "", state: "" } };
  return { ok: false, held: { runId: held.runId, holder: held.holder, acquiredAt: held.acquiredAt, title: held.run.title, state: held.run.state } };
}

/** The leases of the runs a live worker is executing stay fresh with its heartbeat. */
export async function renewLeasesOf(db: Pick<Tx, "$executeRaw">, workerId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE cluster_lease SET "expiresAt" = now() + ${LEASE_TTL_MS} * interval '1 millisecond'
    WHERE "runId" IN (SELECT id FROM run WHERE "workerId" = ${workerId} AND state = 'RUNNING')`;
}

export async function releaseLease(tx: Tx, runId: string): Promise<void> {
  await tx.clusterLease.deleteMany({ where: { runId } });
}

export function describeHolder(held: LeaseHolder): string {
  const what = held.title ? `${held.title} (run ${held.runId.slice(0, 8)}, ${held.state.toLowerCase()})` : "another run";
  return `This cluster is locked by ${what}, started by ${held.holder} at ${held.acquiredAt.toISOString()}. One mutating run per cluster: wait for it to end, or decide it on its run page.`;
}
