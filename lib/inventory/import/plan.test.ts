import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderGcadmin } from "@/lib/engines/gbase/render";
import { parseGcadmin } from "@/lib/engines/gbase/parse-gcadmin";
import { renderFullStatusTable, renderShortStatusTable, joinLines } from "@/lib/engines/machbase/render";
import { parseStatusTable } from "@/lib/engines/machbase/parse";
import type { FullStatusTable } from "@/lib/engines/machbase/types";
import { planFromCmrctl, planFromGbase, planFromMachbase } from "./plan";
import type { ImportPlan, PlannedNode, PlanResult } from "./types";

const engines = path.join(import.meta.dirname, "..", "..", "engines");
const fixture = (engine: string, name: string) => readFileSync(path.join(engines, engine, "fixtures", name), "utf8");

function planOf(result: PlanResult): ImportPlan {
  if (!result.ok) throw new Error(`${result.error.message} at line ${result.error.lineNumber}: ${result.error.line}`);
  return result.plan;
}

const node = (name: string, type: string, role: string, group: string | null = null, hostAddress: string | null = null): PlannedNode => ({
  name,
  type,
  role,
  group,
  hostAddress,
});

// Seed 000's cluster: whatever state a table shows, the topology (and the configured roles) is the same.
const SEED_MACHBASE_NODES = [
  node("localhost:30110", "coordinator", "primary"),
  node("localhost:30120", "coordinator", "normal"),
  node("localhost:30210", "deployer", "normal"),
  node("localhost:30310", "broker", "leader"),
  node("localhost:30320", "broker", "normal"),
  node("localhost:30410", "warehouse", "normal", "group1"),
  node("localhost:30420", "warehouse", "normal", "group1"),
  node("localhost:30510", "warehouse", "normal", "group2"),
  node("localhost:30520", "warehouse", "normal", "group2"),
];

const MACHBASE_TABLE_FIXTURES = [
  "initial-cluster.txt",
  "warehouse-dead-detected.txt",
  "set-group-state-readonly.txt",
  "warehouse-restarted-scrapped.txt",
  "snapshot-recover.txt",
  "exec-sync.txt",
  "sync-in-progress.txt",
  "sync-complete.txt",
  "set-group-state-normal.txt",
];

function seedTable(): FullStatusTable {
  const parsed = parseStatusTable(fixture("machbase", "initial-cluster.txt"));
  if (!parsed.ok || parsed.value.layout !== "full") throw new Error("initial-cluster.txt must parse as a full table");
  return parsed.value;
}

describe("planFromMachbase", () => {
  for (const name of MACHBASE_TABLE_FIXTURES) {
    it(`${name}: 9 nodes, warehouses in group1/group2, roles from the desired state`, () => {
      expect(planOf(planFromMachbase(fixture("machbase", name)))).toEqual({ groups: ["group1", "group2"], nodes: SEED_MACHBASE_NODES, warnings: [] });
    });
  }

  it("exec-sync-with-progress.txt: three tables, the last one is used and that is said", () => {
    expect(planOf(planFromMachbase(fixture("machbase", "exec-sync-with-progress.txt")))).toEqual({
      groups: ["group1", "group2"],
      nodes: SEED_MACHBASE_NODES,
      warnings: ["the output holds 3 status tables; the last one was used"],
    });
  });

  it("reads the short layout (--cluster-status) too", () => {
    const full = seedTable();
    const short = renderShortStatusTable({
      layout: "short",
      extraColumns: [],
      rows: full.rows.map(({ desiredState, rpState: _rp, actualState: _a, ...row }) => ({ ...row, state: desiredState })),
    });
    expect(planOf(planFromMachbase(joinLines(short))).nodes).toEqual(SEED_MACHBASE_NODES);
  });

  it("a garbled row is an error naming its line", () => {
    const lines = fixture("machbase", "initial-cluster.txt").split("\n");
    lines[6] = "| broker      | localhost:30310 | Broker          | normal ";
    const result = planFromMachbase(lines.join("\n"));
    expect(result).toMatchObject({ ok: false, error: { lineNumber: 7, line: lines[6] } });
  });

  it("an [ERROR] line from the tool is an error naming it", () => {
    const result = planFromMachbase("[ERROR] Coordinator is not running.\n");
    expect(result).toEqual({ ok: false, error: { message: "the tool reported an error: Coordinator is not running.", line: "[ERROR] Coordinator is not running.", lineNumber: 1 } });
  });

  it("output without a table is an error", () => {
    expect(planFromMachbase("Coordinator started successfully.\n")).toMatchObject({ ok: false, error: { message: "the output holds no status table" } });
  });

  it("a bad node name, an unknown type and a group with a space become warnings, not a crash", () => {
    const table = seedTable();
    const rows = table.rows.map((r) => ({ ...r }));
    rows[0] = { ...rows[0]!, nodeName: "coord one" };
    rows[2] = { ...rows[2]!, nodeType: { unrecognized: "router" } };
    rows[5] = { ...rows[5]!, groupName: "group 1" };
    const text = joinLines(renderFullStatusTable({ ...table, rows }));
    const plan = planOf(planFromMachbase(text));
    expect(plan.nodes.map((n) => n.name)).toEqual([
      "localhost:30120",
      "localhost:30310",
      "localhost:30320",
      "localhost:30420",
      "localhost:30510",
      "localhost:30520",
    ]);
    expect(plan.groups).toEqual(["group1", "group2"]);
    expect(plan.warnings).toEqual([
      "line 4: coordinator 'coord one' not imported: Machbase Cluster Edition node names are host:port, e.g. 192.168.0.10:5101",
      "line 6: router 'localhost:30210' not imported: Machbase Cluster Edition node types are coordinator, deployer, broker, warehouse",
      "line 9: warehouse 'localhost:30410' not imported: its group 'group 1' is not a valid group name (letters, digits, '.', '_' and '-' only, starting with a letter or digit (no spaces))",
    ]);
  });

  it("a name printed twice is kept once, with a warning", () => {
    const table = seedTable();
    const text = joinLines(renderFullStatusTable({ ...table, rows: [...table.rows, table.rows[8]!] }));
    const plan = planOf(planFromMachbase(text));
    expect(plan.nodes).toHaveLength(9);
    expect(plan.warnings).toEqual([expect.stringContaining("warehouse 'localhost:30520' not imported: the output lists this name twice")]);
  });
});

describe("planFromGbase", () => {
  it("gcadmin-one-gcware-open.txt: 3 coordinators and 3 data nodes, each with its IpAddress", () => {
    expect(planOf(planFromGbase(fixture("gbase", "gcadmin-one-gcware-open.txt")))).toEqual({
      groups: [],
      nodes: [
        node("coordinator1", "coordinator", "", null, "10.0.2.102"),
        node("coordinator2", "coordinator", "", null, "10.0.2.202"),
        node("coordinator3", "coordinator", "", null, "10.0.2.203"),
        node("node1", "data", "", null, "10.0.2.102"),
        node("node2", "data", "", null, "10.0.2.202"),
        node("node3", "data", "", null, "10.0.2.203"),
      ],
      warnings: [],
    });
  });

  it("a garbled line is an error naming it", () => {
    const lines = fixture("gbase", "gcadmin-one-gcware-open.txt").split("\n");
    lines[9] = "| coordinator2 | 10.0.2.202 |  OPEN ";
    const result = planFromGbase(lines.join("\n"));
    expect(result).toMatchObject({ ok: false, error: { lineNumber: 10 } });
    if (!result.ok) expect(result.error.line).toContain("coordinator2");
  });

  it("an unreachable gcware is an error naming the line", () => {
    expect(planFromGbase("Could not initialize CRM instance error: [122]->[can not connect to any server]\n")).toMatchObject({
      ok: false,
      error: { lineNumber: 1, message: "gcadmin could not reach any gcware" },
    });
  });

  it("a node name Keel cannot hold and an address that is not one become warnings", () => {
    const parsed = parseGcadmin(fixture("gbase", "gcadmin-one-gcware-open.txt"));
    if (!parsed.ok) throw new Error("fixture must parse");
    const status = parsed.value.status;
    const text = renderGcadmin({
      ...status,
      coordinators: { ...status.coordinators, rows: status.coordinators.rows.map((r, i) => (i === 0 ? { ...r, name: "coord#1" } : r)) },
      dataNodes: { ...status.dataNodes, rows: status.dataNodes.rows.map((r, i) => (i === 2 ? { ...r, ip: "10.0.2" } : r)) },
    });
    const plan = planOf(planFromGbase(text));
    expect(plan.nodes.map((n) => [n.name, n.hostAddress])).toEqual([
      ["coordinator2", "10.0.2.202"],
      ["coordinator3", "10.0.2.203"],
      ["node1", "10.0.2.102"],
      ["node2", "10.0.2.202"],
      ["node3", null],
    ]);
    expect(plan.warnings).toEqual([
      "coordinator 'coord#1' not imported: GBase 8a (gcware) node names are the node name gcadmin prints, e.g. node1",
      "data 'node3': address '10.0.2' is not an IPv4 address or host name; its host must be picked",
    ]);
  });
});

describe("planFromCmrctl", () => {
  const cms = [node("cm_tibero1", "cm", "", null, "172.19.0.11"), node("cm_tibero2", "cm", "", null, "172.19.0.12")];

  it("cmrctl-show-all-before-groups.txt as Tibero: the CMs and their db resources as instances", () => {
    expect(planOf(planFromCmrctl(fixture("tibero", "cmrctl-show-all-before-groups.txt"), "TIBERO"))).toEqual({
      groups: [],
      nodes: [cms[0], node("tibero1", "instance", "", null, "172.19.0.11"), cms[1], node("tibero2", "instance", "", null, "172.19.0.12")],
      warnings: [],
    });
  });

  it("cmrctl-show-all-registered.txt as Tibero: the same (agents belong to a ProSync cluster)", () => {
    expect(planOf(planFromCmrctl(fixture("tibero", "cmrctl-show-all-registered.txt"), "TIBERO")).nodes.map((n) => n.name)).toEqual([
      "cm_tibero1",
      "tibero1",
      "cm_tibero2",
      "tibero2",
    ]);
  });

  it("cmrctl-show-all-registered.txt as ProSync: the CMs and their agents", () => {
    expect(planOf(planFromCmrctl(fixture("tibero", "cmrctl-show-all-registered.txt"), "PROSYNC"))).toEqual({
      groups: [],
      nodes: [cms[0], node("agent1", "agent", "", null, "172.19.0.11"), cms[1], node("agent2", "agent", "", null, "172.19.0.12")],
      warnings: [],
    });
  });

  it("cmrctl-start-group.txt (a group command's reply ending in the tables) as ProSync", () => {
    expect(planOf(planFromCmrctl(fixture("tibero", "cmrctl-start-group.txt"), "PROSYNC")).nodes.map((n) => `${n.type} ${n.name}`)).toEqual([
      "cm cm_tibero1",
      "agent agent1",
      "cm cm_tibero2",
      "agent agent2",
    ]);
  });

  it("cmrctl-show-all-before-groups.txt as ProSync: only the CMs (no agent registered yet)", () => {
    expect(planOf(planFromCmrctl(fixture("tibero", "cmrctl-show-all-before-groups.txt"), "PROSYNC")).nodes).toEqual(cms);
  });

  it("a garbled line is an error naming it", () => {
    const lines = fixture("tibero", "cmrctl-show-all-registered.txt").split("\n");
    lines[1] = "Resource List of Node cm_tibero1 (continued)";
    expect(planFromCmrctl(lines.join("\n"), "TIBERO")).toMatchObject({ ok: false, error: { lineNumber: 2, line: lines[1] } });
  });

  it("empty output is an error", () => {
    expect(planFromCmrctl("\n", "TIBERO")).toMatchObject({ ok: false });
  });

  it("a resource name Keel cannot hold becomes a warning naming its CM", () => {
    const text = fixture("tibero", "cmrctl-show-all-registered.txt").replace("       db        tibero2", "       db       tibero/2");
    const plan = planOf(planFromCmrctl(text, "TIBERO"));
    expect(plan.nodes.map((n) => n.name)).toEqual(["cm_tibero1", "tibero1", "cm_tibero2"]);
    expect(plan.warnings).toEqual([
      "CM cm_tibero2: instance 'tibero/2' not imported: Tibero Active Cluster node names are the instance SID or CM name, e.g. tac1",
    ]);
  });
});
