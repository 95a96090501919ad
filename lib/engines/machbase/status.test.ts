// The Machbase probe against the BUILT simulator (child processes through the local runner), with
// faults injected by lab/faults/machbase.ts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { killNode, restartNode } from "../../../lab/faults/machbase";
import { bundleSimulators, pollUntil } from "../../status/built-sims";
import { localRunner } from "../../status/local-runner";
import type { ClusterObservation, ProbeTarget, RemoteRunner } from "../../status/types";
import { parseStatusTable } from "./parse";
import { observedNodes, probeMachbase, problemsOf } from "./status";

const SCALE = "0.01";
let sims: Awaited<ReturnType<typeof bundleSimulators>>;
let stateDir: string;
let run: RemoteRunner;

beforeAll(async () => {
  sims = await bundleSimulators(["machcoordinatoradmin"]);
}, 60_000);
afterAll(() => sims?.dispose());

beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), "keel-mb-status-"));
  const host = (node: string) => ({ env: { KEEL_LAB_STATE: stateDir, KEEL_LAB_NODE: node, KEEL_LAB_TIME_SCALE: SCALE }, path: [sims.binDir] });
  run = localRunner({ mb1: host("localhost:30110"), mb2: host("localhost:30120") });
  return () => rmSync(stateDir, { recursive: true, force: true });
});

// The seed's cluster (the simulator's default topology): two coordinators, the rest behind them.
const target: ProbeTarget = {
  engine: "MACHBASE",
  version: "6.5",
  settings: { MACH_COORDINATOR_HOME: "/home/machbase/coordinator" },
  nodes: [
    { name: "localhost:30120", type: "coordinator", role: "normal", group: null, hostName: "mb2", hostAddress: "127.0.0.1" },
    { name: "localhost:30110", type: "coordinator", role: "primary", group: null, hostName: "mb1", hostAddress: "127.0.0.1" },
  ],
};
const faultEnv = { env: { KEEL_LAB_TIME_SCALE: SCALE } };
const row = (o: ClusterObservation, name: string) => o.nodes.find((n) => n.name === name);

describe("Machbase prober on the built simulator", () => {
  it("a healthy cluster: every row of the seed's table, the snapshot interval in the panel", async () => {
    const o = await probeMachbase(target, run);
    expect(o.errors).toEqual([]);
    expect(o).toMatchObject({ health: "healthy", reason: "all 9 nodes as desired; every group normal" });
    expect(o.nodes.map((n) => `${n.type} ${n.name} ${n.group} ${n.groupState} ${n.desired}/${n.actual} ${n.rpState}`)).toEqual([
      "coordinator localhost:30110 Coordinator normal primary/primary -----------",
      "coordinator localhost:30120 Coordinator normal normal/normal -----------",
      "deployer localhost:30210 Deployer normal normal/normal -----------",
      "broker localhost:30310 Broker normal leader/leader -----------",
      "broker localhost:30320 Broker normal normal/normal -----------",
      "warehouse localhost:30410 group1 normal normal/normal -----------",
      "warehouse localhost:30420 group1 normal normal/normal -----------",
      "warehouse localhost:30510 group2 normal normal/normal -----------",
      "warehouse localhost:30520 group2 normal normal/normal -----------",
    ]);
    expect(o.nodes.every((n) => !n.mismatch && n.flags.length === 0)).toBe(true);
    expect(o.panels.machbase).toMatchObject({ coordinatorHost: "mb1", snapshotIntervalSec: 60, releaseVersion: "321a012d05.develop" });
  });

  it("a killed warehouse: degraded, naming the scrapped warehouse and the readonly group; restarted: the seed's next state", async () => {
    expect(killNode(stateDir, "localhost:30410", faultEnv).ok).toBe(true);
    const dead = await pollUntil(() => probeMachbase(target, run), (o) => row(o, "localhost:30410")?.desired === "scrapped", 5_000, "scrapped");
    expect(dead.health).toBe("degraded");
    expect(dead.reason).toBe("warehouse localhost:30410 desired scrapped, actual **unknown**; group1 readonly");
    expect(row(dead, "localhost:30410")).toMatchObject({ groupState: "readonly", actual: "**unknown**", mismatch: true });
    expect(row(dead, "localhost:30420")).toMatchObject({ groupState: "readonly", desired: "normal", actual: "normal", mismatch: true });
    expect(row(dead, "localhost:30510")).toMatchObject({ groupState: "normal", mismatch: false });

    expect(restartNode(stateDir, "localhost:30410", faultEnv).ok).toBe(true);
    const back = await pollUntil(() => probeMachbase(target, run), (o) => row(o, "localhost:30410")?.actual === "scrapped", 5_000, "scrapped/scrapped");
    expect(back.health).toBe("degraded");
    expect(back.reason).toBe("warehouse localhost:30410 scrapped; group1 readonly");
    expect(row(back, "localhost:30410")).toMatchObject({ desired: "scrapped", actual: "scrapped", mismatch: true });
  });

  it("the primary coordinator down: the other coordinator answers and the error names the host; both down: down", async () => {
    expect((await run("mb1", ["machcoordinatoradmin", "--shutdown"])).ok).toBe(true);
    const one = await probeMachbase(target, run);
    expect(one.errors).toEqual([{ host: "mb1", message: "machcoordinatoradmin: Machbase Coordinator is not running." }]);
    expect(one.health).toBe("degraded");
    expect(one.nodes).toHaveLength(9);
    expect(one.panels.machbase).toMatchObject({ coordinatorHost: "mb2" });

    expect((await run("mb2", ["machcoordinatoradmin", "--shutdown"])).ok).toBe(true);
    const none = await probeMachbase(target, run);
    expect(none.health).toBe("down");
    expect(none.reason).toMatch(/^no coordinator answered: mb1: .*not running.*; mb2: .*not running/);
    expect(none.nodes).toEqual([]);
  });

  it("a node shut down on purpose is still reported (it serves nothing)", async () => {
    const stop = await run("mb1", ["machcoordinatoradmin", "--shutdown-node=localhost:30320"]);
    expect(stop).toMatchObject({ ok: true, exitCode: 0 });
    const o = await probeMachbase(target, run);
    expect(row(o, "localhost:30320")).toMatchObject({ desired: "shutdown", actual: "shutdown", mismatch: true });
    expect(o).toMatchObject({ health: "degraded", reason: "broker localhost:30320 shutdown" });
  });

  it("garbled output is an error naming the line, never a throw", async () => {
    const garbled: RemoteRunner = async (host, argv, opts) => {
      const outcome = await run(host, argv, opts);
      return { ...outcome, stdout: outcome.stdout.replace("| warehouse   | localhost:30510 |", "| warehouse   | localhost:30510") };
    };
    const o = await probeMachbase(target, garbled);
    expect(o.health).toBe("down");
    expect(o.errors[0]?.host).toBe("mb1");
    expect(o.errors[0]?.message).toMatch(/^machcoordinatoradmin --cluster-status-full output unreadable at line 17 \(table row has 6 cells, expected 7\): "\| warehouse   \| localhost:30510 group2 /);
  });

  it("an unknown state is kept, flagged and counted as a mismatch", async () => {
    const odd: RemoteRunner = async (host, argv, opts) => {
      const outcome = await run(host, argv, opts);
      return { ...outcome, stdout: outcome.stdout.replace("| broker      | localhost:30320 | Broker          | normal          | normal        | normal  ", "| broker      | localhost:30320 | Broker          | normal          | normal        | rebuild ") };
    };
    const o = await probeMachbase(target, odd);
    expect(row(o, "localhost:30320")).toMatchObject({ actual: "rebuild", mismatch: true, flags: ["unrecognized actual state 'rebuild'"] });
    expect(o.health).toBe("degraded");
    expect(o.reason).toContain("broker localhost:30320 desired normal, actual rebuild");
  });
});

describe("the seed's tables as the probe reads them", () => {
  const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
  const verdict = (name: string) => {
    const parsed = parseStatusTable(fixture(name));
    if (!parsed.ok || parsed.value.layout !== "full") throw new Error(`${name} did not parse`);
    const nodes = observedNodes(parsed.value);
    return { mismatched: nodes.filter((n) => n.mismatch).map((n) => n.name), problems: problemsOf(nodes) };
  };
  it.each([
    ["initial-cluster.txt", [], []],
    ["warehouse-dead-detected.txt", ["localhost:30410", "localhost:30420"], ["warehouse localhost:30410 desired scrapped, actual **unknown**", "group1 readonly"]],
    ["warehouse-restarted-scrapped.txt", ["localhost:30410", "localhost:30420"], ["warehouse localhost:30410 scrapped", "group1 readonly"]],
    ["sync-in-progress.txt", ["localhost:30410", "localhost:30420"], ["group1 readonly"]],
    ["set-group-state-normal.txt", [], []],
  ])("%s", (name, mismatched, problems) => {
    expect(verdict(name)).toEqual({ mismatched, problems });
  });
});
