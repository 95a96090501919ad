import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { parseAdminOutput } from "./parse";
import {
  clusterHealthy,
  coordinatorPrimary,
  groupHasHealthyPeer,
  groupNormal,
  groupOf,
  groupReadonly,
  groupSnapshotReady,
  nodeBackInRole,
  nodeExists,
  nodeScrapped,
  noDdlRunning,
  rollingOrder,
  rpStates,
  safeToStop,
  sawRunningThenStopped,
  scrappedNodeRestarted,
  syncFinished,
  warehouseGroups,
} from "./prechecks";
import type { FullStatusTable, StatusRow } from "./types";

/** The status table a seed fixture shows (the tool's banner and header lines are skipped). */
function fixture(name: string): FullStatusTable {
  const parsed = parseAdminOutput(readFileSync(path.join(import.meta.dirname, "fixtures", `${name}.txt`), "utf8"));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const [table] = parsed.value.tables;
  if (table?.layout !== "full") throw new Error(`${name}: no full status table`);
  return table;
}

function withRow(table: FullStatusTable, node: string, change: Partial<StatusRow>): FullStatusTable {
  return { ...table, rows: table.rows.map((r) => (r.nodeName === node ? { ...r, ...change } : r)) };
}

const initial = fixture("initial-cluster"); // seed lines 207–219
const dead = fixture("warehouse-dead-detected"); // 222–234
const readonlySet = fixture("set-group-state-readonly"); // 240–260
const restarted = fixture("warehouse-restarted-scrapped"); // 263–275
const recovered = fixture("snapshot-recover"); // 281–300
const syncStarted = fixture("exec-sync"); // 306–326
const syncing = fixture("sync-in-progress"); // 327–339
const synced = fixture("sync-complete"); // 340–352
const normalAgain = fixture("set-group-state-normal"); // 358–378

const WH = "localhost:30410";

describe("clusterHealthy", () => {
  it("accepts the seed's initial cluster and the end of the recovery", () => {
    expect(clusterHealthy(initial)).toEqual({ ok: true });
    expect(clusterHealthy(normalAgain)).toEqual({ ok: true });
  });

  it("names the dead warehouse and the readonly group", () => {
    expect(clusterHealthy(dead)).toEqual({
      ok: false,
      reason: "cluster not healthy: warehouse localhost:30410 (desired scrapped, actual **unknown**); group1 readonly",
    });
    expect(clusterHealthy(synced)).toEqual({ ok: false, reason: "cluster not healthy: group1 readonly" });
    expect(clusterHealthy(syncing)).toMatchObject({ ok: false, reason: expect.stringContaining("warehouse localhost:30420 (sync-active)") });
  });

  it("flags values the seed never names and an empty table", () => {
    const odd = withRow(initial, "localhost:30320", { actualState: { unrecognized: "rebooting" } });
    expect(clusterHealthy(odd)).toEqual({ ok: false, reason: "cluster not healthy: localhost:30320 shows values the seed never names: rebooting" });
    expect(clusterHealthy({ ...initial, rows: [] })).toEqual({ ok: false, reason: "the status table lists no nodes" });
  });
});

describe("nodes", () => {
  it("exists, as host:port of this cluster", () => {
    expect(nodeExists(initial, WH)).toEqual({ ok: true });
    expect(nodeExists(initial, "wh1")).toEqual({ ok: false, reason: "'wh1' is not a node name: expected host:port, e.g. localhost:30410" });
    expect(nodeExists(initial, "localhost:30430", ["warehouse"])).toEqual({
      ok: false,
      reason: "localhost:30430 is not a node of this cluster (warehouse nodes: localhost:30410, localhost:30420, localhost:30510, localhost:30520)",
    });
    expect(nodeExists(initial, "localhost:30310", ["warehouse"])).toEqual({ ok: false, reason: "localhost:30310 is a broker, expected a warehouse" });
  });

  it("scrapped (for snapshot-recover)", () => {
    expect(nodeScrapped(dead, WH)).toEqual({ ok: true });
    expect(nodeScrapped(initial, WH)).toEqual({
      ok: false,
      reason: "localhost:30410 is not scrapped (normal); snapshot recovery only applies to a scrapped warehouse",
    });
    expect(nodeScrapped(dead, "localhost:30110")).toEqual({ ok: false, reason: "localhost:30110 is a coordinator, expected a warehouse" });
  });

  it("scrapped and restarted before recovering", () => {
    expect(scrappedNodeRestarted(dead, WH)).toEqual({
      ok: false,
      reason: "localhost:30410 is scrapped but not running (actual **unknown**); start it and wait until it shows scrapped/scrapped",
    });
    expect(scrappedNodeRestarted(restarted, WH)).toEqual({ ok: true });
  });

  it("its group still has another healthy warehouse", () => {
    expect(groupHasHealthyPeer(dead, WH)).toEqual({ ok: true });
    const bothDown = withRow(dead, "localhost:30420", { actualState: "unknown" });
    expect(groupHasHealthyPeer(bothDown, WH)).toEqual({
      ok: false,
      reason:
        "no healthy warehouse left in group1 besides localhost:30410: warehouse localhost:30420 (desired normal, actual **unknown**); snapshot recovery needs one to replicate from",
    });
    const alone = { ...dead, rows: dead.rows.filter((r) => r.nodeName !== "localhost:30420") };
    expect(groupHasHealthyPeer(alone, WH)).toMatchObject({ ok: false, reason: expect.stringContaining("(it is the only warehouse)") });
  });

  it("coordinator primary again", () => {
    expect(coordinatorPrimary(initial, "localhost:30110")).toEqual({ ok: true });
    expect(coordinatorPrimary(initial, "localhost:30120")).toEqual({
      ok: false,
      reason: "coordinator localhost:30120 is not primary (normal); localhost:30110 is primary",
    });
    const down = withRow(initial, "localhost:30110", { actualState: "shutdown" });
    expect(coordinatorPrimary(down, "localhost:30110")).toEqual({
      ok: false,
      reason: "coordinator localhost:30110 is not primary (desired primary, actual shutdown); no coordinator is primary",
    });
  });

  it("back to normal/leader after a rolling step", () => {
    expect(nodeBackInRole(initial, "localhost:30310")).toEqual({ ok: true });
    expect(nodeBackInRole(initial, "localhost:30420")).toEqual({ ok: true });
    const stopped = withRow(initial, "localhost:30310", { desiredState: "shutdown", actualState: "shutdown" });
    expect(nodeBackInRole(stopped, "localhost:30310")).toEqual({
      ok: false,
      reason: "broker localhost:30310 (shutdown) is not back yet: waiting for desired = actual = normal or leader",
    });
    const starting = withRow(initial, "localhost:30310", { actualState: "unknown" });
    expect(nodeBackInRole(starting, "localhost:30310")).toMatchObject({ ok: false, reason: expect.stringContaining("(desired leader, actual **unknown**)") });
  });

  it("safe to stop only while its peers serve", () => {
    expect(safeToStop(initial, "localhost:30420")).toEqual({ ok: true });
    expect(safeToStop(dead, "localhost:30420")).toEqual({
      ok: false,
      reason: "localhost:30420 cannot be stopped now: its peer warehouse localhost:30410 (desired scrapped, actual **unknown**) is not serving; wait until it is back",
    });
    expect(safeToStop(dead, "localhost:30510")).toEqual({ ok: true });
    expect(safeToStop(initial, "localhost:30110")).toEqual({ ok: false, reason: "localhost:30110 is a coordinator, expected a broker or warehouse" });
  });
});

describe("groups", () => {
  it("readonly during the recovery, normal at the end", () => {
    expect(groupOf(readonlySet, WH)).toBe("group1");
    expect(groupReadonly(readonlySet, "group1")).toEqual({ ok: true });
    expect(groupNormal(synced, "group1")).toEqual({ ok: false, reason: "group group1 is readonly, not normal" });
    expect(groupNormal(normalAgain, "group1")).toEqual({ ok: true });
    expect(groupReadonly(normalAgain, "group1")).toEqual({ ok: false, reason: "group group1 is normal, not readonly" });
    expect(groupNormal(initial, "group9")).toEqual({ ok: false, reason: "group group9 is not in this cluster" });
  });

  it("snapshots: every warehouse group in turn, each only while its warehouses serve", () => {
    expect(warehouseGroups(initial)).toEqual(["group1", "group2"]);
    expect(groupSnapshotReady(initial, "group1")).toEqual({ ok: true });
    expect(groupSnapshotReady(dead, "group2")).toEqual({ ok: true });
    expect(groupSnapshotReady(dead, "group1")).toEqual({
      ok: false,
      reason: "cannot snapshot group1 now: warehouse localhost:30410 (desired scrapped, actual **unknown**)",
    });
    expect(groupSnapshotReady(syncing, "group1")).toMatchObject({ ok: false, reason: expect.stringContaining("localhost:30420 (sync-active) syncing") });
    expect(groupSnapshotReady(initial, "Broker")).toEqual({ ok: false, reason: "group Broker has no warehouse in this cluster (groups: group1, group2)" });
  });
});

describe("exec-sync: RP running → stopped", () => {
  const walk = [recovered, syncStarted, syncing, synced];

  it("collapses the RP states the seed shows in order", () => {
    expect(rpStates(walk, WH)).toEqual(["-----------", "stopped", "running", "stopped"]);
    expect(sawRunningThenStopped(walk, WH)).toBe(true);
    expect(sawRunningThenStopped([recovered, syncStarted, syncing], WH)).toBe(false);
    expect(sawRunningThenStopped([syncStarted, synced], WH)).toBe(false);
  });

  it("waits through each table of the seed's walk-through", () => {
    expect(syncFinished([], WH)).toEqual({ ok: false, reason: "no status table observed yet" });
    expect(syncFinished([syncStarted], WH)).toEqual({ ok: false, reason: "sync not started yet: localhost:30410 still scrapped, RP stopped" });
    expect(syncFinished([syncStarted, syncing], WH)).toEqual({ ok: false, reason: "sync running: localhost:30410 sync-standby, RP running" });
    expect(syncFinished(walk, WH)).toEqual({ ok: true });
    expect(syncFinished([...walk, normalAgain], WH)).toEqual({ ok: true });
  });

  it("reports a warehouse that died during the sync", () => {
    const died = withRow(syncing, WH, { desiredState: "scrapped", actualState: "unknown", rpState: "stopped" });
    expect(syncFinished([syncStarted, syncing, died], WH)).toEqual({
      ok: false,
      reason: "localhost:30410 went down during the sync (desired scrapped, actual **unknown**); restart it, then recover it again",
    });
  });
});

describe("rollingOrder", () => {
  it("warehouses group by group, then brokers with the leader last", () => {
    expect(rollingOrder(initial)).toEqual({
      ok: true,
      steps: [
        { node: "localhost:30410", type: "warehouse", group: "group1" },
        { node: "localhost:30420", type: "warehouse", group: "group1" },
        { node: "localhost:30510", type: "warehouse", group: "group2" },
        { node: "localhost:30520", type: "warehouse", group: "group2" },
        { node: "localhost:30320", type: "broker", group: "Broker" },
        { node: "localhost:30310", type: "broker", group: "Broker" },
      ],
    });
  });

  it("keeps that order for a chosen subset, whatever order it was chosen in", () => {
    const order = rollingOrder(initial, ["localhost:30310", "localhost:30520", "localhost:30320"]);
    expect(order.ok && order.steps.map((s) => s.node)).toEqual(["localhost:30520", "localhost:30320", "localhost:30310"]);
  });

  it("refuses nodes that are not brokers or warehouses of this cluster", () => {
    expect(rollingOrder(initial, ["localhost:30210"])).toEqual({ ok: false, reason: "localhost:30210 is a deployer, expected a broker or warehouse" });
    expect(rollingOrder(initial, ["localhost:1"])).toMatchObject({ ok: false, reason: expect.stringContaining("is not a node of this cluster") });
    expect(rollingOrder(initial, ["localhost:30410", "localhost:30410"])).toEqual({ ok: false, reason: "a node is chosen twice" });
    expect(rollingOrder(initial, [])).toEqual({ ok: false, reason: "no broker or warehouse to upgrade" });
  });
});

describe("noDdlRunning (--cluster-node)", () => {
  const banner = [
    "-------------------------------------------------------------------------",
    "     Machbase Coordinator Administration Tool",
    "     Release Version - 321a012d05.develop",
    "     Copyright 2014, MACHBASE Corp. or its subsidiaries",
    "     All Rights Reserved",
    "-------------------------------------------------------------------------",
  ];
  const output = (...lines: string[]) => {
    const parsed = parseAdminOutput([...banner, ...lines].join("\n"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.value;
  };
  const head = ["Cluster Status : Service", "Coordinator    : localhost:30110", "Broker         : localhost:30310"];

  it("idle passes, running names the statement", () => {
    expect(noDdlRunning(output(...head, "DDL Status     : idle"))).toEqual({ ok: true });
    expect(
      noDdlRunning(output(...head, "DDL Status     : running", "DDL Statement  : ALTER TABLE t ADD COLUMN c INT", "DDL Since      : 2026-11-23T12:00:00.000Z")),
    ).toEqual({
      ok: false,
      reason: "a DDL is running: ALTER TABLE t ADD COLUMN c INT (since 2026-11-23T12:00:00.000Z); wait until it finishes before the upgrade",
      attestable: false,
    });
  });

  it("a tool without the field asks for an attestation; a tool error does not", () => {
    expect(noDdlRunning(output(...head))).toEqual({
      ok: false,
      reason: "this Machbase does not report running DDL: a DBA must confirm no DDL or DELETE is running",
      attestable: true,
    });
    expect(noDdlRunning(output("[ERROR] Machbase Coordinator is not running."))).toEqual({
      ok: false,
      reason: "machcoordinatoradmin --cluster-node: Machbase Coordinator is not running.",
      attestable: false,
    });
  });
});
