// The Tibero probe against the BUILT cmrctl, one lab host per TAC node (created as seed 001 does, by the
// simulator's in-process harness), faults from lab/faults/tibero.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmDown, instanceDown, nodeDown } from "../../../lab/faults/tibero";
import { disposeLabs, makeLab, type Lab } from "../../../lab/sim/tibero/lab-harness";
import { createTac } from "../../../lab/sim/tibero/seed-steps";
import { seedTopology } from "../../../lab/sim/tibero/topology";
import { bundleSimulators } from "../../status/built-sims";
import { localRunner } from "../../status/local-runner";
import type { ClusterObservation, ProbeTarget, RemoteRunner } from "../../status/types";
import { probeTibero, type CmPanel } from "./status";
import type { ResourceTable } from "./resources";

let sims: Awaited<ReturnType<typeof bundleSimulators>>;

beforeAll(async () => {
  sims = await bundleSimulators(["cmrctl"]);
}, 60_000);
afterAll(async () => {
  await disposeLabs();
  await sims?.dispose();
});

async function runningTac(): Promise<{ lab: Lab; run: RemoteRunner }> {
  const lab = await makeLab(seedTopology());
  await createTac(lab, "cls_tibero");
  const run = localRunner({
    t1: { env: lab.envFor("tibero1"), path: [sims.binDir] },
    t2: { env: lab.envFor("tibero2"), path: [sims.binDir] },
  });
  return { lab, run };
}

const target: ProbeTarget = {
  engine: "TIBERO",
  version: "7",
  settings: { TB_HOME: "/home/tibero/tibero/tibero7", TB_SID: "tibero1" },
  nodes: [
    { name: "tibero1", type: "instance", role: "", group: null, hostName: "t1", hostAddress: "172.19.0.11" },
    { name: "tibero2", type: "instance", role: "", group: null, hostName: "t2", hostAddress: "172.19.0.12" },
  ],
};
const node = (o: ClusterObservation, name: string) => o.nodes.find((n) => n.name === name);
const cmPanel = (o: ClusterObservation) => o.panels.cm as CmPanel;

describe("Tibero prober on the built cmrctl", () => {
  it("a running TAC: both instances UP(NRML), the resource table of each CM node", async () => {
    const { run } = await runningTac();
    const o = await probeTibero(target, run);
    expect(o.errors).toEqual([]);
    expect(o).toMatchObject({ health: "healthy", reason: "all 2 instances UP(NRML)" });
    expect(o.nodes.map((n) => [n.name, n.type, n.group, n.desired, n.actual, n.mismatch])).toEqual([
      ["tibero1", "instance", "cls_tibero", "UP(NRML)", "UP(NRML)", false],
      ["tibero2", "instance", "cls_tibero", "UP(NRML)", "UP(NRML)", false],
    ]);
    expect(cmPanel(o).nodes.map((n) => [n.cmName, n.reportedBy, n.resources.map((r) => r.type)])).toEqual([
      ["cm_tibero1", "t1", ["network", "cluster", "file", "service", "db"]],
      ["cm_tibero2", "t1", ["network", "cluster", "file", "service", "db"]],
    ]);
    const table = o.panels.cmResources as ResourceTable;
    expect(table.problem).toBeNull();
    expect(table.rows.filter((r) => r.type === "db").map((r) => [r.cmNode, r.name, r.state, r.mode])).toEqual([
      ["cm_tibero1", "tibero1", "UP", "NRML"],
      ["cm_tibero2", "tibero2", "UP", "NRML"],
    ]);
  });

  it("an instance down is a mismatch; a CM down is that host's error and its instance unreported; all down is down", async () => {
    const { lab, run } = await runningTac();
    await instanceDown(lab.stateDir, "tibero2");
    const one = await probeTibero(target, run);
    expect(one.health).toBe("degraded");
    expect(node(one, "tibero2")).toMatchObject({ actual: "DOWN", mismatch: true });
    expect(one.reason).toBe("instance tibero2 DOWN");
    expect((one.panels.cmResources as ResourceTable).problem).toBe("not UP: db tibero2 DOWN on cm_tibero2");

    await cmDown(lab.stateDir, "tibero1");
    const cm = await probeTibero(target, run);
    expect(cm.errors).toEqual([{ host: "t1", message: expect.stringMatching(/^cmrctl exited with 1: \[ERROR\] /) }]);
    expect(node(cm, "tibero1")).toMatchObject({ actual: null, mismatch: true, flags: ["no reachable CM lists instance tibero1"] });
    expect(cm.reason).toMatch(/^instance tibero2 DOWN; instance tibero1 not reported by any CM; t1: cmrctl exited with 1/);

    await nodeDown(lab.stateDir, "tibero2");
    const none = await probeTibero(target, run);
    expect(none.health).toBe("down");
    expect(none.errors.find((e) => e.host === "t2")?.message).toMatch(/^unreachable host t2: lab: host tibero2 .* is down$/);
  });

  it("garbled output from one host is its error naming the line; the other host still reports", async () => {
    const { run } = await runningTac();
    const garbled: RemoteRunner = async (host, argv, opts) => {
      const outcome = await run(host, argv, opts);
      return host === "t1" ? { ...outcome, stdout: outcome.stdout.replace(/^-{11} -{8}.*$/m, "garbage ruler") } : outcome;
    };
    const o = await probeTibero(target, garbled);
    expect(o.errors).toEqual([{ host: "t1", message: 'cmrctl show all output unreadable at line 4 (expected the ---- ruler under the header): "garbage ruler"' }]);
    expect(o.nodes.map((n) => n.actual)).toEqual(["UP(NRML)", "UP(NRML)"]);
    expect(o.health).toBe("degraded");
  });
});
