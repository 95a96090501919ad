import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  configurationEntries,
  headerFields,
  parseAdminOutput,
  parseStatusTable,
  recordMaps,
  snapshotIntervalSec,
} from "./parse";
import type { FullStatusTable, StatusRow } from "./types";

const fixtureDir = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readFileSync(path.join(fixtureDir, name), "utf8");

function fullTable(text: string): FullStatusTable {
  const parsed = parseStatusTable(text);
  if (!parsed.ok) throw new Error(`${parsed.error.message} at line ${parsed.error.lineNumber}: ${parsed.error.line}`);
  if (parsed.value.layout !== "full") throw new Error("expected the full layout");
  return parsed.value;
}

function row(table: FullStatusTable, name: string): StatusRow {
  const found = table.rows.find((r) => r.nodeName === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
}

const healthyHead: Array<Pick<StatusRow, "nodeType" | "nodeName" | "groupName" | "desiredState" | "actualState">> = [
  { nodeType: "coordinator", nodeName: "localhost:30110", groupName: "Coordinator", desiredState: "primary", actualState: "primary" },
  { nodeType: "coordinator", nodeName: "localhost:30120", groupName: "Coordinator", desiredState: "normal", actualState: "normal" },
  { nodeType: "deployer", nodeName: "localhost:30210", groupName: "Deployer", desiredState: "normal", actualState: "normal" },
  { nodeType: "broker", nodeName: "localhost:30310", groupName: "Broker", desiredState: "leader", actualState: "leader" },
  { nodeType: "broker", nodeName: "localhost:30320", groupName: "Broker", desiredState: "normal", actualState: "normal" },
];

function expectHealthyHead(table: FullStatusTable): void {
  expect(table.rows).toHaveLength(9);
  table.rows.slice(0, 5).forEach((r, i) => {
    expect(r).toMatchObject({ ...healthyHead[i], groupState: "normal", rpState: "none", extra: [] });
  });
  expect(row(table, "localhost:30510")).toMatchObject({ groupName: "group2", groupState: "normal", desiredState: "normal", actualState: "normal", rpState: "none" });
  expect(row(table, "localhost:30520")).toMatchObject({ groupName: "group2", groupState: "normal", desiredState: "normal", actualState: "normal", rpState: "none" });
}

describe("seed fixtures", () => {
  it("initial-cluster: every node normal, endpoints split", () => {
    const table = fullTable(fixture("initial-cluster.txt"));
    expectHealthyHead(table);
    expect(table.rows[0]?.endpoint).toEqual({ host: "localhost", port: 30110 });
    for (const name of ["localhost:30410", "localhost:30420"]) {
      expect(row(table, name)).toMatchObject({ nodeType: "warehouse", groupName: "group1", groupState: "normal", desiredState: "normal", actualState: "normal", rpState: "none" });
    }
  });

  it("warehouse-dead-detected: the dead warehouse is scrapped / **unknown**, group1 readonly", () => {
    const table = fullTable(fixture("warehouse-dead-detected.txt"));
    expectHealthyHead(table);
    expect(row(table, "localhost:30410")).toEqual({
      nodeType: "warehouse",
      nodeName: "localhost:30410",
      endpoint: { host: "localhost", port: 30410 },
      groupName: "group1",
      groupState: "readonly",
      desiredState: "scrapped",
      actualState: "unknown",
      rpState: "none",
      extra: [],
    });
    expect(row(table, "localhost:30420")).toMatchObject({ groupState: "readonly", desiredState: "normal", actualState: "normal" });
  });

  it("set-group-state-readonly: banner, Group Name, Flag 1, table (misaligned readonly cell accepted)", () => {
    const parsed = parseAdminOutput(fixture("set-group-state-readonly.txt"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.banner).toEqual({
      title: "Machbase Coordinator Administration Tool",
      tool: "coordinator",
      releaseVersion: "321a012d05.develop",
      copyright: "Copyright 2014, MACHBASE Corp. or its subsidiaries",
    });
    expect(headerFields(parsed.value)).toEqual({ groupName: "group1", flag: 1, nodeName: undefined, source: undefined });
    expect(parsed.value.tables).toHaveLength(1);
    expect(parsed.value.warnings).toEqual([]);
    expect(parsed.value.errors).toEqual([]);
    const table = parsed.value.tables[0] as FullStatusTable;
    expect(row(table, "localhost:30410")).toMatchObject({ groupState: "readonly", desiredState: "scrapped", actualState: "unknown" });
  });

  it("warehouse-restarted-scrapped: scrapped / scrapped once the process is back", () => {
    const table = fullTable(fixture("warehouse-restarted-scrapped.txt"));
    expectHealthyHead(table);
    expect(row(table, "localhost:30410")).toMatchObject({ groupState: "readonly", desiredState: "scrapped", actualState: "scrapped", rpState: "none" });
  });

  it("snapshot-recover: Node-Name header, table unchanged", () => {
    const parsed = parseAdminOutput(fixture("snapshot-recover.txt"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(headerFields(parsed.value)).toMatchObject({ nodeName: "localhost:30410", source: undefined });
    const table = parsed.value.tables[0] as FullStatusTable;
    expect(row(table, "localhost:30410")).toMatchObject({ desiredState: "scrapped", actualState: "scrapped", rpState: "none" });
  });

  it("exec-sync: Node-Name, empty Source, RP stopped on both group1 warehouses", () => {
    const parsed = parseAdminOutput(fixture("exec-sync.txt"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(headerFields(parsed.value)).toMatchObject({ nodeName: "localhost:30410", source: "" });
    const table = parsed.value.tables[0] as FullStatusTable;
    expect(row(table, "localhost:30410")).toMatchObject({ desiredState: "scrapped", actualState: "scrapped", rpState: "stopped" });
    expect(row(table, "localhost:30420")).toMatchObject({ desiredState: "normal", actualState: "normal", rpState: "stopped" });
    expect(row(table, "localhost:30510").rpState).toBe("none");
  });

  it("exec-sync-with-progress: three tables in order", () => {
    const parsed = parseAdminOutput(fixture("exec-sync-with-progress.txt"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const tables = parsed.value.tables as FullStatusTable[];
    expect(tables.map((t) => [row(t, "localhost:30410").actualState, row(t, "localhost:30420").actualState, row(t, "localhost:30410").rpState])).toEqual([
      ["scrapped", "normal", "stopped"],
      ["sync-standby", "sync-active", "running"],
      ["normal", "normal", "stopped"],
    ]);
  });

  it("sync-in-progress and sync-complete", () => {
    const running = fullTable(fixture("sync-in-progress.txt"));
    expect(row(running, "localhost:30410")).toMatchObject({ desiredState: "sync-standby", actualState: "sync-standby", rpState: "running", groupState: "readonly" });
    expect(row(running, "localhost:30420")).toMatchObject({ desiredState: "sync-active", actualState: "sync-active", rpState: "running" });
    const done = fullTable(fixture("sync-complete.txt"));
    expect(row(done, "localhost:30410")).toMatchObject({ desiredState: "normal", actualState: "normal", rpState: "stopped", groupState: "readonly" });
  });

  it("set-group-state-normal: Flag 0, group1 normal, RP stays stopped", () => {
    const parsed = parseAdminOutput(fixture("set-group-state-normal.txt"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(headerFields(parsed.value)).toMatchObject({ groupName: "group1", flag: 0 });
    const table = parsed.value.tables[0] as FullStatusTable;
    expectHealthyHead(table);
    for (const name of ["localhost:30410", "localhost:30420"]) {
      expect(row(table, name)).toMatchObject({ groupState: "normal", desiredState: "normal", actualState: "normal", rpState: "stopped" });
    }
  });
});

const SEED_TABLE = fixture("initial-cluster.txt").split("\n");

describe("garbled output is an error value naming the line", () => {
  it("a row with a missing cell", () => {
    const lines = [...SEED_TABLE];
    lines[5] = "| broker      | localhost:30320 | Broker          | normal          | normal        | ----------- |";
    const parsed = parseAdminOutput(lines.join("\n"));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.lineNumber).toBe(6);
    expect(parsed.error.line).toBe(lines[5]);
    expect(parsed.error.message).toMatch(/6 cells, expected 7/);
  });

  it("a truncated table", () => {
    const parsed = parseAdminOutput(SEED_TABLE.slice(0, 8).join("\n"));
    expect(parsed).toMatchObject({ ok: false, error: { lineNumber: 8, message: "status table is not closed by a border" } });
  });

  it("an unknown header", () => {
    const lines = [...SEED_TABLE];
    lines[1] = "|  Node Kind  |    Node Name    |   Group Name    |   Group State   |    Desired & Actual State     |  RP State   |";
    expect(parseAdminOutput(lines.join("\n"))).toMatchObject({ ok: false, error: { lineNumber: 2, line: lines[1] } });
  });

  it("a row outside any table and a broken border", () => {
    expect(parseAdminOutput(`hello\n${SEED_TABLE[4]}\n`)).toMatchObject({ ok: false, error: { lineNumber: 2, message: "table row outside a table" } });
    expect(parseAdminOutput("+----+--x--+\n")).toMatchObject({ ok: false, error: { lineNumber: 1, message: "malformed table border" } });
  });

  it("a banner cut short", () => {
    const text = fixture("snapshot-recover.txt").split("\n");
    text.splice(2, 1);
    expect(parseAdminOutput(text.join("\n"))).toMatchObject({ ok: false, error: { lineNumber: 3 } });
  });
});

describe("unknown values and columns are kept and flagged", () => {
  it("keeps an unknown state and an extra column", () => {
    const text = [
      "+-------------+-----------------+-----------------+-----------------+-------------------------------+-------------+---------+",
      "|  Node Type  |    Node Name    |   Group Name    |   Group State   |    Desired & Actual State     |  RP State   |  Lag    |",
      "+-------------+-----------------+-----------------+-----------------+-------------------------------+-------------+---------+",
      "| lookup      | lookup-a        | Lookup          | degraded        | rebuilding    | **unknown**   | paused      | 12      |",
      "+-------------+-----------------+-----------------+-----------------+-------------------------------+-------------+---------+",
    ].join("\n");
    const parsed = parseAdminOutput(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const table = parsed.value.tables[0] as FullStatusTable;
    expect(table.extraColumns).toEqual(["Lag"]);
    expect(table.rows[0]).toEqual({
      nodeType: { unrecognized: "lookup" },
      nodeName: "lookup-a",
      endpoint: null,
      groupName: "Lookup",
      groupState: { unrecognized: "degraded" },
      desiredState: { unrecognized: "rebuilding" },
      actualState: "unknown",
      rpState: { unrecognized: "paused" },
      extra: ["12"],
    });
    expect(parsed.value.warnings.map((w) => w.lineNumber)).toEqual([2, 4, 4, 4, 4, 4]);
  });
});

describe("transport noise", () => {
  it("accepts CRLF line ends and lines printed before the banner", () => {
    const text = `Welcome to lab host\r\n${fixture("snapshot-recover.txt").replaceAll("\n", "\r\n")}`;
    const parsed = parseAdminOutput(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.messages).toEqual(["Welcome to lab host"]);
    expect(parsed.value.banner?.releaseVersion).toBe("321a012d05.develop");
    expect(headerFields(parsed.value).nodeName).toBe("localhost:30410");
    expect(parsed.value.tables).toHaveLength(1);
  });
});

describe("other outputs", () => {
  it("--configuration list and a single key", () => {
    const list = [
      "Name  : CLUSTER",
      "Value : 3",
      " ",
      "Name  : SNAPSHOT-INTERVAL",
      "Value : 30",
    ].join("\n");
    const parsed = parseAdminOutput(list);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(configurationEntries(parsed.value)).toEqual([
      { name: "CLUSTER", value: "3" },
      { name: "SNAPSHOT-INTERVAL", value: "30" },
    ]);
    expect(snapshotIntervalSec(parsed.value)).toBe(30);
    const single = parseAdminOutput("              Name : SNAPSHOT-INTERVAL\n             Value : 0\n            Format : text/plain\n");
    if (!single.ok) throw new Error(single.error.message);
    expect(snapshotIntervalSec(single.value)).toBe(0);
  });

  it("--list-package records and tool errors", () => {
    const parsed = parseAdminOutput(
      "Package Name : machbase\nFile Name    : a.tgz\nFile Size    : 1 bytes\n \nPackage Name : new_package\nFile Name    : b.tgz\nFile Size    : 2 bytes\n[ERROR] Package file (b.tgz) is already registered as package (new_package).\n",
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(recordMaps(parsed.value).map((r) => r["Package Name"])).toEqual(["machbase", "new_package"]);
    expect(parsed.value.errors).toEqual(["Package file (b.tgz) is already registered as package (new_package)."]);
  });
});
