import { describe, expect, it } from "vitest";
import { readFixture } from "./fixtures";
import { parseGcadmin } from "./parse-gcadmin";
import { renderGcadmin } from "./render";

const seed = readFixture("gcadminOneGcwareOpen");

describe("parseGcadmin on the seed", () => {
  it("reads the header fields and both tables", () => {
    const r = parseGcadmin(seed);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { status, warnings } = r.value;
    expect(warnings).toEqual([]);
    expect(status.clusterState).toBe("ACTIVE");
    expect(status.virtualClusterMode).toBe("NORMAL");
    expect(status.coordinators.rows).toEqual([
      { name: "coordinator1", ip: "10.0.2.102", gcware: "CLOSE", gcluster: "CLOSE", dataState: 0, extra: {} },
      { name: "coordinator2", ip: "10.0.2.202", gcware: "OPEN", gcluster: "CLOSE", dataState: 0, extra: {} },
      { name: "coordinator3", ip: "10.0.2.203", gcware: "CLOSE", gcluster: "CLOSE", dataState: 0, extra: {} },
    ]);
    expect(status.dataNodes.rows).toEqual(
      [1, 2, 3].map((n) => ({
        name: `node${n}`,
        ip: ["10.0.2.102", "10.0.2.202", "10.0.2.203"][n - 1],
        distributionId: 6,
        gnode: "CLOSE",
        syncserver: "CLOSE",
        dataState: 0,
        extra: {},
      })),
    );
    expect(status.otherTables).toEqual([]);
  });

  it("renders back to the seed byte for byte", () => {
    const r = parseGcadmin(seed);
    if (!r.ok) throw new Error(r.error.message);
    expect(renderGcadmin(r.value.status)).toBe(seed);
  });

  it("accepts CRLF line endings", () => {
    const r = parseGcadmin(seed.replace(/\n/g, "\r\n"));
    expect(r.ok && r.value.status.coordinators.rows.length).toBe(3);
  });
});

describe("parseGcadmin keeps what it does not know, and flags it", () => {
  it("keeps an unknown service state and DataState", () => {
    const text = seed.replace("| coordinator1 | 10.0.2.102 | CLOSE  |", "| coordinator1 | 10.0.2.102 | FAULT  |").replace(
      "|  node3   |                10.0.2.203                |       6        | CLOSE |   CLOSE    |     0     |",
      "|  node3   |                10.0.2.203                |       6        | CLOSE |   CLOSE    |     x     |",
    );
    const r = parseGcadmin(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status.coordinators.rows[0]?.gcware).toEqual({ unknown: "FAULT" });
    expect(r.value.status.dataNodes.rows[2]?.dataState).toEqual({ unknown: "x" });
    expect(r.value.warnings.map((w) => [w.kind, w.lineNumber])).toEqual([
      ["unknown-value", 9],
      ["unknown-value", 24],
    ]);
  });

  it("keeps an extra column, an extra field and an unknown table", () => {
    const status = {
      clusterState: { unknown: "INACTIVE" },
      virtualClusterMode: "NORMAL" as const,
      extraFields: [{ key: "CLUSTER NAME", value: "demo" }],
      coordinators: {
        extraColumns: ["gcrecover"],
        rows: [{ name: "c1", ip: "127.0.0.2", gcware: "OPEN" as const, gcluster: "OPEN" as const, dataState: 0, extra: { gcrecover: "OPEN" } }],
      },
      dataNodes: { extraColumns: [], rows: [] },
      otherTables: [{ title: "GBASE VIRTUAL CLUSTER INFORMATION", headers: ["VcName", "comment"], rows: [["vc1", ""]] }],
    };
    const r = parseGcadmin(renderGcadmin(status));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toEqual(status);
    expect(r.value.warnings.map((w) => w.kind).sort()).toEqual(["extra-column", "extra-field", "unknown-table", "unknown-value"]);
  });
});

describe("parseGcadmin names the offending line of garbled output", () => {
  const lines = seed.split("\n");
  const withLine = (n: number, replacement: string) => lines.map((l, i) => (i === n - 1 ? replacement : l)).join("\n");

  it.each([
    ["a row with a missing cell", 9, "| coordinator1 | 10.0.2.102 | CLOSE  |     0     |", "row has 4 cells"],
    ["a truncated row", 11, "| coordinator2 | 10.0.2.2", "unexpected line"],
    ["a missing rule after a row", 10, "| coordinator9 | 10.0.2.9 | OPEN | OPEN | 0 |", "expected a '-' rule"],
    ["noise between tables", 15, "Segmentation fault", "unexpected line"],
    ["a missing required column", 7, "|   NodeName   | IpAddress  | gcwire | gcluster | DataState |", "column 'gcware' is missing"],
    ["an empty node name", 9, "|              | 10.0.2.102 | CLOSE  |  CLOSE   |     0     |", "NodeName is empty"],
  ])("%s", (_label, lineNumber, replacement, message) => {
    const r = parseGcadmin(withLine(lineNumber, replacement));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(message);
    expect(r.error.lineNumber).toBe(lineNumber);
    expect(r.error.line).toBe(replacement);
  });

  it("rejects empty output and a missing table", () => {
    expect(parseGcadmin("").ok).toBe(false);
    const coordinatorOnly = lines.slice(0, 14).join("\n");
    const r = parseGcadmin(coordinatorOnly);
    expect(!r.ok && r.error.message).toContain("GBASE DATA CLUSTER INFORMATION");
  });

  it("reports the gcware-down error of gcadmin as garbled, naming it", () => {
    const r = parseGcadmin("Could not initialize CRM instance error: [122]->[can not connect to any server]\n");
    expect(r).toEqual({
      ok: false,
      error: { message: "gcadmin could not reach any gcware", line: "Could not initialize CRM instance error: [122]->[can not connect to any server]", lineNumber: 1 },
    });
  });
});
