import { describe, expect, it } from "vitest";
import { csvHeader, csvRow } from "./csv";
import type { AuditEventView } from "./query";

const base: AuditEventView = {
  id: "7", at: "2026-01-01T00:00:00.000Z", actorEmail: "a@b", actorRole: "DBA", action: "cluster.create", outcome: "ok",
  clusterId: null, clusterName: 'we"ird,name', hostId: null, hostName: "", nodeName: "", payload: { a: 1 }, hash: "h",
};

describe("audit CSV", () => {
  it("quotes every cell, doubles quotes and keeps JSON payloads intact", () => {
    expect(csvHeader()).toBe("id,at,actorEmail,actorRole,action,outcome,clusterName,hostName,nodeName,payload,hash\n");
    expect(csvRow(base)).toBe('"7","2026-01-01T00:00:00.000Z","a@b","DBA","cluster.create","ok","we""ird,name","","","{""a"":1}","h"\n');
  });

  it("defuses spreadsheet formulas", () => {
    expect(csvRow({ ...base, actorEmail: "=HYPERLINK(1)" })).toContain(`"'=HYPERLINK(1)"`);
  });
});
