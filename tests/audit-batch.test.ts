import { describe, expect, it } from "vitest";
import { appendAuditBatch, recordAudit } from "@/lib/audit/append";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { useTestDatabase } from "./db";

useTestDatabase();
const actor = { id: "u1", email: "dba@test.local", role: "DBA" };

describe("batch append", () => {
  it("chains a batch exactly like single appends, before and after it", async () => {
    await recordAudit(actor, { action: "test.before-batch" });
    await db.$transaction((tx) => appendAuditBatch(tx, actor, Array.from({ length: 300 }, (_, i) => ({ action: "test.batch", payload: { i, password: "x" } }))));
    await recordAudit(actor, { action: "test.after-batch" });
    expect(await verifyAuditChain()).toEqual({ intact: true, count: 302 });
    const sample = await db.auditEvent.findFirstOrThrow({ where: { action: "test.batch" } });
    expect(sample.payload).toEqual({ i: 0, password: "[redacted]" });
  });
});
