import { describe, expect, it } from "vitest";
import { parseLabHostSpecs } from "../hosts/spec";
import { validateCluster } from "../seed-inventory";
import { demoEstate, testEstate, type EstateDefinition } from "./definition";
import { hostSpecs } from "./estate";

const addressOf = (def: EstateDefinition, host: string) => def.hosts.find((h) => h.name === host)?.address;

describe.each([
  ["demo", demoEstate(), 21, 37],
  ["test", testEstate(), 150, 190],
] as const)("the %s estate", (_name, def, low, high) => {
  it("has valid, distinct lab hosts in its address range, each knowing its own address", () => {
    const specs = parseLabHostSpecs(hostSpecs(def));
    for (const s of specs) {
      const last = Number(s.address.split(".")[3]);
      expect(last).toBeGreaterThanOrEqual(low);
      expect(last).toBeLessThanOrEqual(high);
      expect(s.env.KEEL_LAB_HOST).toBe(s.address);
    }
  });

  it("describes clusters Keel's inventory accepts, with nodes on the hosts' real addresses", () => {
    for (const c of def.clusters) {
      expect(() => validateCluster(c)).not.toThrow();
      for (const n of c.nodes) {
        expect(def.hosts.some((h) => h.name === n.host && h.cluster === c.name)).toBe(true);
        if (c.engine === "MACHBASE" || c.engine === "POSTGRESQL") expect(n.name.split(":")[0]).toBe(addressOf(def, n.host));
      }
    }
  });
});

describe("the demo estate", () => {
  const def = demoEstate();
  it("holds the seven clusters on 17 hosts", () => {
    expect(def.hosts).toHaveLength(17);
    expect(def.clusters.map((c) => [c.name, c.engine, c.nodes.length])).toEqual([
      ["machbase-lab", "MACHBASE", 9],
      ["gbase-lab", "GBASE", 6],
      ["tibero-lab", "TIBERO", 4],
      ["prosync-lab", "PROSYNC", 4],
      ["pg-streaming", "POSTGRESQL", 2],
      ["pg-bare", "POSTGRESQL", 2],
      ["pg11-streaming", "POSTGRESQL", 2],
    ]);
  });

  it("names simulated nodes by the addresses the simulators match KEEL_LAB_HOST against", () => {
    const gbase = def.clusters.find((c) => c.engine === "GBASE")!;
    const topo = gbase.topology as { coordinators: { ip: string }[]; dataNodes: { ip: string }[] };
    const gbaseAddresses = def.hosts.filter((h) => h.cluster === gbase.name).map((h) => h.address);
    expect(topo.coordinators.map((n) => n.ip)).toEqual(gbaseAddresses);
    expect(topo.dataNodes.map((n) => n.ip)).toEqual(gbaseAddresses);
    for (const c of def.clusters.filter((x) => x.engine === "TIBERO" || x.engine === "PROSYNC")) {
      const topoHosts = (c.topology as { clusters: { nodes: { host: string }[] }[] }).clusters.flatMap((x) => x.nodes.map((n) => n.host));
      expect(topoHosts).toEqual(def.hosts.filter((h) => h.cluster === c.name).map((h) => h.address));
    }
  });
});
