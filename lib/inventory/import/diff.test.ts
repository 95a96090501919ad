import { describe, expect, it } from "vitest";
import { addressOf, type ClusterInventory, diffPlan, matchHost, nameChanges } from "./diff";
import type { ImportPlan, PlannedNode } from "./types";

const node = (name: string, type: string, role: string, group: string | null = null, hostAddress: string | null = null): PlannedNode => ({
  name,
  type,
  role,
  group,
  hostAddress,
});

const hosts = [
  { id: "h1", name: "mach1", address: "10.0.0.1" },
  { id: "h2", name: "mach2", address: "10.0.0.2" },
  { id: "h3a", name: "shared-a", address: "10.0.0.3" },
  { id: "h3b", name: "shared-b", address: "10.0.0.3" },
];

const plan: ImportPlan = {
  groups: ["group1", "group2"],
  nodes: [
    node("10.0.0.1:5101", "coordinator", "primary"),
    node("10.0.0.2:5101", "coordinator", "normal"),
    node("10.0.0.1:5401", "warehouse", "normal", "group1"),
    node("10.0.0.2:5401", "warehouse", "normal", "group2"),
    node("10.0.0.9:5301", "broker", "leader"),
  ],
  warnings: ["line 9: something skipped"],
};

describe("diffPlan", () => {
  it("an empty cluster: everything to create, hosts matched by the host part of host:port", () => {
    const diff = diffPlan(plan, { groups: [], nodes: [], hosts }, "h2");
    expect(diff.createGroups).toEqual(["group1", "group2"]);
    expect(diff.presentGroups).toEqual([]);
    expect(diff.createNodes.map((n) => [n.name, n.host])).toEqual([
      ["10.0.0.1:5101", { matched: true, hostId: "h1", hostName: "mach1", address: "10.0.0.1" }],
      ["10.0.0.2:5101", { matched: true, hostId: "h2", hostName: "mach2", address: "10.0.0.2" }],
      ["10.0.0.1:5401", { matched: true, hostId: "h1", hostName: "mach1", address: "10.0.0.1" }],
      ["10.0.0.2:5401", { matched: true, hostId: "h2", hostName: "mach2", address: "10.0.0.2" }],
      ["10.0.0.9:5301", { matched: false, address: "10.0.0.9", reason: "no inventory host has the address 10.0.0.9" }],
    ]);
    expect(diff.needsHost).toEqual(["10.0.0.9:5301"]);
    expect(diff.presentNodes).toEqual([]);
    expect(diff.conflictingNodes).toEqual([]);
    expect(diff.warnings).toEqual(["line 9: something skipped"]);
  });

  it("separates present (same name, type, group) from conflicting (same name, other type or group)", () => {
    const inventory: ClusterInventory = {
      groups: ["group1"],
      hosts,
      nodes: [
        { name: "10.0.0.1:5101", type: "coordinator", role: "primary", group: null, hostId: "h1" },
        // Failover moved the primary: same node, a role the import reports but never changes.
        { name: "10.0.0.2:5101", type: "coordinator", role: "primary", group: null, hostId: "h2" },
        { name: "10.0.0.1:5401", type: "warehouse", role: "normal", group: "group2", hostId: "h1" },
        { name: "10.0.0.2:5401", type: "broker", role: "normal", group: null, hostId: "h2" },
      ],
    };
    const diff = diffPlan(plan, inventory, "h1");
    expect(diff.createGroups).toEqual(["group2"]);
    expect(diff.presentGroups).toEqual(["group1"]);
    expect(diff.presentNodes.map((n) => n.name)).toEqual(["10.0.0.1:5101", "10.0.0.2:5101"]);
    expect(diff.conflictingNodes).toEqual([
      {
        ...node("10.0.0.1:5401", "warehouse", "normal", "group1"),
        inventory: { type: "warehouse", role: "normal", group: "group2" },
        differences: ["group: inventory group2, output group1"],
      },
      {
        ...node("10.0.0.2:5401", "warehouse", "normal", "group2"),
        inventory: { type: "broker", role: "normal", group: null },
        differences: ["type: inventory broker, output warehouse", "group: inventory (none), output group2"],
      },
    ]);
    expect(diff.createNodes.map((n) => n.name)).toEqual(["10.0.0.9:5301"]);
    expect(diff.warnings).toContain("coordinator '10.0.0.2:5101': the inventory says role primary, the output normal; left as it is");
  });

  it("a node whose address the output does not give needs a host", () => {
    const diff = diffPlan({ groups: [], nodes: [node("tac1", "instance", "")], warnings: [] }, { groups: [], nodes: [], hosts }, "h1");
    expect(diff.createNodes[0]!.host).toEqual({ matched: false, address: null, reason: "the output names no address for this node" });
    expect(diff.needsHost).toEqual(["tac1"]);
  });

  it("hostAddress wins over the name (GBase, CM)", () => {
    const diff = diffPlan({ groups: [], nodes: [node("node1", "data", "", null, "10.0.0.2")], warnings: [] }, { groups: [], nodes: [], hosts }, "h1");
    expect(diff.createNodes[0]!.host).toMatchObject({ matched: true, hostId: "h2" });
  });
});

describe("matchHost", () => {
  const inventory: ClusterInventory = { groups: [], nodes: [], hosts };

  it("matches addresses case-insensitively (host names)", () => {
    const named = { ...inventory, hosts: [{ id: "d", name: "db1", address: "DB1.example.com" }] };
    expect(matchHost("db1.example.com", named, "x")).toMatchObject({ matched: true, hostId: "d" });
  });

  it("several hosts on one address: the host the command ran on, if it is one of them", () => {
    expect(matchHost("10.0.0.3", inventory, "h3b")).toMatchObject({ matched: true, hostId: "h3b" });
  });

  it("several hosts on one address: else the one already serving this cluster", () => {
    const serving = { ...inventory, nodes: [{ name: "x:1", type: "broker", role: "normal", group: null, hostId: "h3a" }] };
    expect(matchHost("10.0.0.3", serving, "h1")).toMatchObject({ matched: true, hostId: "h3a" });
  });

  it("several hosts on one address and nothing to choose by: the person picks", () => {
    expect(matchHost("10.0.0.3", inventory, "h1")).toEqual({
      matched: false,
      address: "10.0.0.3",
      reason: "2 inventory hosts have the address 10.0.0.3 (shared-a, shared-b)",
    });
  });
});

describe("addressOf and nameChanges", () => {
  it("takes hostAddress, else the host part of host:port, else nothing", () => {
    expect(addressOf(node("localhost:30110", "coordinator", "primary"))).toBe("localhost");
    expect(addressOf(node("node1", "data", "", null, "10.0.2.102"))).toBe("10.0.2.102");
    expect(addressOf(node("tac1", "instance", ""))).toBeNull();
  });

  it("names what was added and removed, ignoring order", () => {
    expect(nameChanges(["a", "b", "c"], ["c", "a", "b"])).toEqual({ added: [], removed: [] });
    expect(nameChanges(["a", "b"], ["b", "d"])).toEqual({ added: ["d"], removed: ["a"] });
  });
});
