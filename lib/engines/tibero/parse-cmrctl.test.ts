import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cmStatusInfo, parseGroupRequest, parseResourceChange, parseShowAll } from "./parse-cmrctl";
import { renderAddSuccess, renderGroupRequestBox, renderShowAll } from "./render-cmrctl";
import type { CmShowAll } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const TB = "/home/tibero/tibero/tibero7";

const base = (inc: string, addr: string, sid: string) => [
  { cluster: "COMMON", type: "network", name: inc, status: "UP", detail: `(private) ${addr}` },
  { cluster: "COMMON", type: "cluster", name: "cls_tibero", status: "UP", detail: `inc: ${inc}, pub: N/A` },
  { cluster: "cls_tibero", type: "file", name: "cls_tibero:0", status: "UP", detail: `${TB}/cmfile/tibero/cmdata` },
  { cluster: "cls_tibero", type: "service", name: "tibero", status: "UP", detail: "Database, Active Cluster (auto-restart: OFF)" },
  { cluster: "cls_tibero", type: "db", name: sid, status: "UP(NRML)", detail: `tibero, ${TB}, failed retry cnt: 0` },
];

describe("cmrctl show all (seed 003 §5.6–5.9)", () => {
  it("parses the cluster before any group is registered", () => {
    const r = parseShowAll(fixture("cmrctl-show-all-before-groups.txt"));
    expect(r).toEqual({
      ok: true,
      value: {
        nodes: [
          { cmName: "cm_tibero1", resources: base("inc1", "172.19.0.11/8640", "tibero1") },
          { cmName: "cm_tibero2", resources: base("inc2", "172.19.0.12/8670", "tibero2") },
        ],
        warnings: [],
      },
    });
  });

  it("parses the registered but not yet started group and agents", () => {
    const r = parseShowAll(fixture("cmrctl-show-all-registered.txt"));
    if (!r.ok) throw new Error(r.error.message);
    const [n1, n2] = r.value.nodes;
    expect(n1?.resources.slice(5)).toEqual([
      { cluster: "cls_tibero", type: "group", name: "CM1", status: "DOWN", detail: "type: prosync (failover: ON)" },
      { cluster: "cls_tibero", type: "agent", name: "agent1", status: "DOWN", detail: `${TB}/prs0.sh, start retry cnt: 0` },
    ]);
    expect(n2?.resources[6]).toEqual({ cluster: "cls_tibero", type: "agent", name: "agent2", status: "DOWN", detail: `${TB}/prs1.sh, start retry cnt: 0` });
  });

  it("parses the start group result: the SUCCESS box and every resource UP", () => {
    const r = parseGroupRequest(fixture("cmrctl-start-group.txt"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.verb).toBe("boot");
    expect(r.value.group).toBe("CM1");
    const rows = r.value.showAll?.nodes.flatMap((n) => n.resources) ?? [];
    expect(rows).toHaveLength(14);
    expect(rows.every((x) => cmStatusInfo(x.status).up)).toBe(true);
    expect(rows.filter((x) => x.type === "agent").map((x) => x.detail)).toEqual([
      `${TB}/prs_0.sh, start retry cnt: 0`,
      `${TB}/prs_1.sh, start retry cnt: 0`,
    ]);
  });

  it("re-renders every seed table byte for byte", () => {
    for (const name of ["cmrctl-show-all-before-groups.txt", "cmrctl-show-all-registered.txt"]) {
      const r = parseShowAll(fixture(name));
      if (!r.ok) throw new Error(r.error.message);
      expect(renderShowAll(r.value)).toBe(fixture(name));
    }
    const g = parseGroupRequest(fixture("cmrctl-start-group.txt"));
    if (!g.ok || !g.value.showAll) throw new Error("start group fixture");
    expect(renderGroupRequestBox("boot", "CM1") + renderShowAll(g.value.showAll)).toBe(fixture("cmrctl-start-group.txt"));
  });

  it("parses the add success lines (with the seed's `$ ` prompt)", () => {
    expect(parseResourceChange(fixture("cmrctl-add-group.txt"))).toEqual({ ok: true, value: { action: "add", type: "group", name: "CM1" } });
    expect(parseResourceChange(fixture("cmrctl-add-agent.txt"))).toEqual({ ok: true, value: { action: "add", type: "agent", name: "agent1" } });
    expect(parseResourceChange(renderAddSuccess("agent", "a-2"))).toEqual({ ok: true, value: { action: "add", type: "agent", name: "a-2" } });
  });

  it("decodes statuses and flags unknown ones and unknown types without failing", () => {
    expect(cmStatusInfo("UP(NRML)")).toEqual({ known: true, up: true, mode: "NRML" });
    expect(cmStatusInfo("DOWN")).toEqual({ known: true, up: false });
    const text = fixture("cmrctl-show-all-before-groups.txt")
      .replace("tibero1 UP(NRML)", "tibero1 UP(WEIRD)")
      .replace("network           inc2", "  vip             inc2");
    const r = parseShowAll(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.nodes[0]?.resources[4]?.status).toBe("UP(WEIRD)");
    expect(r.value.warnings).toEqual([
      { message: "unknown status UP(WEIRD)", lineNumber: 9 },
      { message: "unknown resource type vip", lineNumber: 15 },
    ]);
  });

  it("keeps an extra column and flags it", () => {
    const text = [
      "Resource List of Node cm_x",
      "=".repeat(69),
      "  CLUSTER     TYPE        NAME       STATUS    NODEID       DETAIL",
      "----------- -------- -------------- -------- ------ ------------------------",
      "     COMMON  network           inc1       UP      3 (private) 10.0.0.1/8640",
      "=".repeat(69),
      "",
    ].join("\n");
    const r = parseShowAll(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.nodes[0]?.resources[0]).toEqual({
      cluster: "COMMON",
      type: "network",
      name: "inc1",
      status: "UP",
      detail: "(private) 10.0.0.1/8640",
      extra: { NODEID: "3" },
    });
    expect(r.value.warnings).toEqual([{ message: "unknown column(s) NODEID", lineNumber: 3 }]);
  });

  it("names the offending line of garbled output", () => {
    const lines = fixture("cmrctl-show-all-before-groups.txt").split("\n");
    const cut = [...lines.slice(0, 6), "     COMMON  cluster", ...lines.slice(7)].join("\n");
    expect(parseShowAll(cut)).toEqual({ ok: false, error: { message: "resource row has fewer than 5 columns", line: "     COMMON  cluster", lineNumber: 7 } });
    expect(parseShowAll("[ERROR] Failed to connect to the local CM (cm_tibero1). Is CM running?\n")).toMatchObject({ ok: false, error: { lineNumber: 1 } });
    const unclosed = lines.slice(0, 9).join("\n");
    expect(parseShowAll(unclosed)).toMatchObject({ ok: false, error: { lineNumber: 9 } });
    expect(parseShowAll(lines.slice(0, 2).concat(["  NAME STATUS"]).join("\n"))).toMatchObject({ ok: false, error: { message: "expected the column header starting with CLUSTER", lineNumber: 3 } });
  });

  it("parse(render(x)) == x", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_:.()-]{1,16}$/);
    const detail = fc.stringMatching(/^[A-Za-z0-9_:.,()/ -]{0,40}$/).map((s) => s.trim());
    const resource = fc.record({
      cluster: token,
      type: fc.constantFrom("network", "cluster", "file", "service", "db", "group", "agent"),
      name: token,
      status: fc.constantFrom("UP", "DOWN", "UP(NRML)", "UP(MNT)", "UP(NOMT)"),
      detail,
    });
    const view = fc.record({ nodes: fc.array(fc.record({ cmName: token, resources: fc.array(resource, { maxLength: 8 }) }), { maxLength: 4 }) });
    fc.assert(
      fc.property(view, (x: CmShowAll) => {
        expect(parseShowAll(renderShowAll(x))).toEqual({ ok: true, value: { ...x, warnings: [] } });
      }),
    );
  });
});
