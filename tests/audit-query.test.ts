import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/append";
import { auditFilterSchema, iterateAuditEvents, listAuditEvents } from "@/lib/audit/query";
import { useTestDatabase } from "./db";

useTestDatabase();

describe("audit queries", () => {
  it("filters by actor, action, cluster and time, and pages by keyset without gaps or repeats", async () => {
    for (let i = 0; i < 25; i++) {
      await recordAudit({ id: null, email: i % 2 ? "odd@test" : "even@test", role: "DBA" }, {
        action: i % 5 === 0 ? "cluster.delete" : "cluster.create",
        clusterName: i < 10 ? "alpha" : "beta",
        payload: { i },
      });
    }
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listAuditEvents(auditFilterSchema.parse({ actor: "even@test", limit: "4", before }));
      seen.push(...page.events.map((e) => e.id));
      expect(page.events.every((e) => e.actorEmail === "even@test")).toBe(true);
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);

    const deletes = await listAuditEvents(auditFilterSchema.parse({ action: "cluster.delete", cluster: "beta" }));
    expect(deletes.events.map((e) => (e.payload as { i: number }).i)).toEqual([20, 15, 10]);

    const prefix = await listAuditEvents(auditFilterSchema.parse({ action: "cluster.", limit: "100" }));
    expect(prefix.events).toHaveLength(25);

    const future = await listAuditEvents(auditFilterSchema.parse({ from: new Date(Date.now() + 60_000).toISOString() }));
    expect(future.events).toHaveLength(0);

    const all: number[] = [];
    for await (const e of iterateAuditEvents(auditFilterSchema.omit({ before: true, limit: true }).parse({ cluster: "alpha" }))) all.push((e.payload as { i: number }).i);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects a malformed filter with a message per field", () => {
    const parsed = auditFilterSchema.safeParse({ from: "yesterday-ish", before: "abc" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0]).sort()).toEqual(["before", "from"]);
  });
});

describe("filter choices", () => {
  it("lists each distinct action, actor and cluster once, sorted, without blanks", async () => {
    const { distinctAuditValues } = await import("@/lib/audit/query");
    await recordAudit({ id: null, email: "zed@test", role: "DBA" }, { action: "host.create" });
    const values = await distinctAuditValues();
    expect(values.actions).toEqual(["cluster.create", "cluster.delete", "host.create"]);
    expect(values.actors).toEqual(["even@test", "odd@test", "zed@test"]);
    expect(values.clusters).toEqual(["alpha", "beta"]);
  });
});
