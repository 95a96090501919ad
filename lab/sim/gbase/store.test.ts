// The state directory itself: creation from topology.json, locking, and lazy settling.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gcwareDataDir } from "./disk";
import { FLUSH_DURATION_MS } from "./gcware-model";
import { withLock } from "./lock";
import { clusterStateSchema } from "./state";
import { settle } from "./store";
import { COORDINATORS, listSnapshots, makeLab } from "./testing";

describe("state directory", () => {
  it("starts from the seed's cluster when there is no topology.json, with every service OPEN", () => {
    const stateDir = path.join(mkdtempSync(path.join(tmpdir(), "keel-gbase-")), "state");
    const state = settle(stateDir);
    expect(state.version).toBe("V952");
    expect(state.coordinators.map((c) => [c.name, c.ip, c.gcware])).toEqual([
      ["coordinator1", "10.0.2.102", "OPEN"],
      ["coordinator2", "10.0.2.202", "OPEN"],
      ["coordinator3", "10.0.2.203", "OPEN"],
    ]);
    expect(state.dataNodes.map((d) => d.distributionId)).toEqual([6, 6, 6]);
    const listing = listSnapshots(path.join(stateDir, "gcware_base", "coordinator1"));
    expect(listing.snapshots.map((s) => s.name)).toEqual(["SNAPSHOT.142.37975", "SNAPSHOT.141.35210"]);
    expect(listing.redologs.map((r) => r.sizeBytes)).toEqual([320, 844096]);
    expect(clusterStateSchema.safeParse(JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"))).success).toBe(true);
  });

  it("refuses an invalid topology.json with the offending field", () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "keel-gbase-"));
    writeFileSync(path.join(stateDir, "topology.json"), JSON.stringify({ version: "V951", coordinators: [], dataNodes: [] }));
    expect(() => settle(stateDir)).toThrow(/version/);
  });

  it("breaks a lock left by a dead process", () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "keel-gbase-"));
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, "state.lock"), `2147483646 ${hostname()} 2026-11-23T00:00:00Z`);
    expect(withLock(stateDir, () => "acquired")).toBe("acquired");
    expect(existsSync(path.join(stateDir, "state.lock"))).toBe(false);
  });

  it("settle() materialises a due flush without any tool running", () => {
    const lab = makeLab({ version: "V952" });
    expect(lab.python(COORDINATORS[0].ip, ["-c", "import gcware; print gcware.flush_statemachine()"]).stdout).toBe("1\n");
    const dir = gcwareDataDir(lab.baseOf("coordinator1"));
    expect(existsSync(path.join(dir, "SNAPSHOT.142.38388.s"))).toBe(true);
    settle(lab.stateDir, lab.clock.nowMs + FLUSH_DURATION_MS);
    expect(existsSync(path.join(dir, "SNAPSHOT.142.38388"))).toBe(true);
    expect(existsSync(path.join(dir, "SNAPSHOT.142.38388.s"))).toBe(false);
  });
});
