import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseShowAll } from "./parse-cmrctl";
import { resourceTable } from "./resources";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

function table(name: string) {
  const parsed = parseShowAll(fixture(name));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return resourceTable([parsed.value]);
}

describe("resourceTable (cmrctl show all → the CM panel)", () => {
  it("types every resource of the seed's registered view, with UP/DOWN/UP(NRML) decoded and details read", () => {
    const t = table("cmrctl-show-all-registered.txt");
    expect(t.nodes).toEqual([
      { cmNode: "cm_tibero1", resources: 7, notUp: 2 },
      { cmNode: "cm_tibero2", resources: 7, notUp: 2 },
    ]);
    const first = t.rows.filter((r) => r.cmNode === "cm_tibero1");
    expect(first.map((r) => [r.type, r.name, r.status, r.state, r.mode])).toEqual([
      ["network", "inc1", "UP", "UP", null],
      ["cluster", "cls_tibero", "UP", "UP", null],
      ["file", "cls_tibero:0", "UP", "UP", null],
      ["service", "tibero", "UP", "UP", null],
      ["db", "tibero1", "UP(NRML)", "UP", "NRML"],
      ["group", "CM1", "DOWN", "DOWN", null],
      ["agent", "agent1", "DOWN", "DOWN", null],
    ]);
    expect(first.map((r) => r.detail)).toEqual([
      { kind: "network", scope: "private", address: "172.19.0.11", port: 8640 },
      { kind: "cluster", interconnect: "inc1", publicNetwork: null },
      { kind: "file", path: "/home/tibero/tibero/tibero7/cmfile/tibero/cmdata" },
      { kind: "service", description: "Database, Active Cluster", autoRestart: false },
      { kind: "db", service: "tibero", home: "/home/tibero/tibero/tibero7", failedRetries: 0 },
      { kind: "group", groupType: "prosync", failover: true },
      { kind: "agent", script: "/home/tibero/tibero/tibero7/prs0.sh", startRetries: 0 },
    ]);
    expect(t.problem).toBe("not UP: group CM1 DOWN on cm_tibero1, agent agent1 DOWN on cm_tibero1, group CM1 DOWN on cm_tibero2, agent agent2 DOWN on cm_tibero2");
  });

  it("is all UP after the seed's start group, and keeps the first report of a node seen twice", () => {
    const parsed = parseShowAll(fixture("cmrctl-start-group.txt").split("\n").filter((_, i, all) => i >= all.findIndex((x) => x.startsWith("Resource List"))).join("\n"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const t = resourceTable([parsed.value, parsed.value]);
    expect(t.problem).toBeNull();
    expect(t.rows).toHaveLength(14);
    expect(t.rows.find((r) => r.type === "agent" && r.cmNode === "cm_tibero2")?.detail).toEqual({ kind: "agent", script: "/home/tibero/tibero/tibero7/prs_1.sh", startRetries: 0 });
  });

  it("keeps an unknown status and type visible", () => {
    const t = resourceTable([{ nodes: [{ cmName: "cm1", resources: [{ cluster: "c", type: "vip", name: "v1", status: "UP(ODD)", detail: "x" }] }] }]);
    expect(t.rows[0]).toMatchObject({ type: "other", rawType: "vip", state: "UNKNOWN", detail: { kind: "other", text: "x" } });
    expect(t.problem).toBe("not UP: other v1 UP(ODD) on cm1");
  });
});
