import { db } from "@/lib/db";
import { eventHash } from "./hash";
import { GENESIS_HASH } from "./types";

export type ChainReport =
  | { intact: true; count: number }
  | { intact: false; count: number; brokenId: string; reason: string };

const BATCH = 2000;

/** Walks the whole chain in id order and reports the first row whose link or content does not match. */
export async function verifyAuditChain(): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let afterId = -1n;
  let count = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: BATCH });
    if (rows.length === 0) return { intact: true, count };
    for (const row of rows) {
      const id = row.id.toString();
      if (row.prevHash !== prevHash) {
        return { intact: false, count, brokenId: id, reason: "its link to the previous event does not match (an event before it was removed or inserted)" };
      }
      const expected = eventHash(prevHash, {
        at: row.at.toISOString(),
        actorId: row.actorId,
        actorEmail: row.actorEmail,
        actorRole: row.actorRole,
        action: row.action,
        outcome: row.outcome,
        clusterId: row.clusterId,
        clusterName: row.clusterName,
        hostId: row.hostId,
        hostName: row.hostName,
        nodeId: row.nodeId,
        nodeName: row.nodeName,
        payload: row.payload,
      });
      if (expected !== row.hash) {
        return { intact: false, count, brokenId: id, reason: "its content does not match its hash (the event was edited)" };
      }
      prevHash = row.hash;
      count += 1;
      afterId = row.id;
    }
  }
}
