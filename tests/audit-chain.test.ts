import { describe, expect, it } from "vitest";
import { appendAudit, recordAudit } from "@/lib/audit/append";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { rawSql, useTestDatabase } from "./db";

const database = useTestDatabase();
const actor = { id: "u1", email: "dba@test.local", role: "DBA" };

describe("audit chain", () => {
  it("links every event to the one before and stays linear under 60 concurrent appends", async () => {
    await Promise.all(Array.from({ length: 60 }, (_, i) => recordAudit(actor, { action: "test.concurrent", payload: { i } })));
    const rows = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows.length).toBeGreaterThanOrEqual(60);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(rows.length);
    expect(await verifyAuditChain()).toEqual({ intact: true, count: rows.length });
  });

  it("rolls the audit row back with the change it records", async () => {
    const before = await db.auditEvent.count();
    await expect(
      db.$transaction(async (tx) => {
        await appendAudit(tx, actor, { action: "test.rollback" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("refuses UPDATE and DELETE from the application's connection", async () => {
    const [row] = await db.auditEvent.findMany({ take: 1 });
    await expect(rawSql(database.url(), `UPDATE audit_event SET action = 'x' WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
    await expect(rawSql(database.url(), `DELETE FROM audit_event WHERE id = $1`, [row!.id])).rejects.toThrow(/append-only/);
  });

  it("reports exactly the row edited behind its back, then the row after a deleted one", async () => {
    for (let i = 0; i < 5; i++) await recordAudit(actor, { action: "test.tamper", payload: { i } });
    const rows = await db.auditEvent.findMany({ where: { action: "test.tamper" }, orderBy: { id: "asc" } });
    const victim = rows[2]!;
    // Tampering needs the table owner to switch the guard trigger off: what an attacker with DB access would do.
    await rawSql(database.url(), `ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    await rawSql(database.url(), `UPDATE audit_event SET payload = '{"i": 99}' WHERE id = $1`, [victim.id]);
    const edited = await verifyAuditChain();
    expect(edited).toMatchObject({ intact: false, brokenId: victim.id.toString() });
    expect(edited.intact === false && edited.reason).toMatch(/edited/);

    await rawSql(database.url(), `UPDATE audit_event SET payload = $2 WHERE id = $1`, [victim.id, JSON.stringify(victim.payload)]);
    expect((await verifyAuditChain()).intact).toBe(true);

    await rawSql(database.url(), `DELETE FROM audit_event WHERE id = $1`, [rows[3]!.id]);
    await rawSql(database.url(), `ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
    expect(await verifyAuditChain()).toMatchObject({ intact: false, brokenId: rows[4]!.id.toString() });
  });
});
