import type { z } from "zod";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import { eventHash } from "./hash";
import { redact } from "./redact";
import { type AuditActor, type AuditInput, auditInputSchema, GENESIS_HASH, type HashedFields } from "./types";

// Appends are serialised by a transaction-scoped advisory lock, so the chain never forks.
const AUDIT_CHAIN_LOCK = 7_300_001;

function toHashedFields(actor: AuditActor, event: z.output<typeof auditInputSchema>, at: Date): HashedFields {
  return {
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
}

/** Locks the chain for this transaction and returns its newest hash (one round trip; see the migration). */
async function chainHead(tx: Tx): Promise<{ hash: string } | null> {
  const rows = await tx.$queryRaw<{ head: string | null }[]>`SELECT audit_chain_head(${AUDIT_CHAIN_LOCK}::bigint) AS head`;
  const head = rows[0]?.head ?? null;
  return head === null ? null : { hash: head };
}

/**
 * The only writer of audit_event. Call it inside the transaction that makes the change it records,
 * so a change and its audit row commit or roll back together.
 */
export async function appendAudit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  const event = auditInputSchema.parse(input);
  const last = await chainHead(tx);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: the column is timestamptz(3), so the hashed value survives the round trip.
  const at = new Date();
  const fields = toHashedFields(actor, event, at);
  const hash = eventHash(prevHash, fields);
  const row = await tx.auditEvent.create({
    data: { ...fields, at, payload: fields.payload as object, prevHash, hash },
    select: { id: true },
  });
  return { id: row.id, hash };
}

/**
 * Appends many events under one lock, chained in order (imports, and seeding benchmarks). Same
 * chain, same hashing as appendAudit; written in multi-row inserts.
 */
export async function appendAuditBatch(tx: Tx, actor: AuditActor, inputs: AuditInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const last = await chainHead(tx);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = inputs.map((input) => {
    const event = auditInputSchema.parse(input);
    const fields = toHashedFields(actor, event, at);
    const hash = eventHash(prevHash, fields);
    const row = { ...fields, at, payload: fields.payload as object, prevHash, hash };
    prevHash = hash;
    return row;
  });
  const { count } = await tx.auditEvent.createMany({ data: rows });
  return count;
}

/** For events that are not part of a larger change (sign-in, denied access): their own transaction. */
export async function recordAudit(actor: AuditActor, input: AuditInput): Promise<void> {
  await db.$transaction((tx) => appendAudit(tx, actor, input));
}
