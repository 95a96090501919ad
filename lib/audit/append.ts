import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import { eventHash } from "./hash";
import { redact } from "./redact";
import { type AuditActor, type AuditInput, auditInputSchema, GENESIS_HASH, type HashedFields } from "./types";

// Appends are serialised by a transaction-scoped advisory lock, so the chain never forks.
const AUDIT_CHAIN_LOCK = 7_300_001;

/**
 * The only writer of audit_event. Call it inside the transaction that makes the change it records,
 * so a change and its audit row commit or roll back together.
 */
export async function appendAudit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  const event = auditInputSchema.parse(input);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: the column is timestamptz(3), so the hashed value survives the round trip.
  const at = new Date();
  const fields: HashedFields = {
    at: at.toISOString(),
    actorId: actor.id,
    actorEmail: actor.email,
    actorRole: actor.role,
    action: event.action,
    outcome: event.outcome,
    clusterId: event.clusterId ?? null,
    clusterName: event.clusterName,
    hostId: event.hostId ?? null,
    hostName: event.hostName,
    nodeId: event.nodeId ?? null,
    nodeName: event.nodeName,
    payload: redact(event.payload),
  };
  const hash = eventHash(prevHash, fields);
  const row = await tx.auditEvent.create({
    data: { ...fields, at, payload: fields.payload as object, prevHash, hash },
    select: { id: true },
  });
  return { id: row.id, hash };
}

/** For events that are not part of a larger change (sign-in, denied access): their own transaction. */
export async function recordAudit(actor: AuditActor, input: AuditInput): Promise<void> {
  await db.$transaction((tx) => appendAudit(tx, actor, input));
}
