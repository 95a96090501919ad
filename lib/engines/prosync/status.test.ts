// The ProSync probe against the BUILT cmrctl and prs_adm on the seed-003 estate (four TAC nodes, two CM
// groups, set up by the simulator's in-process harness); faults from lab/faults/prosync.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentNodeDown } from "../../../lab/faults/prosync";
import { seedCmFailoverSetup } from "../../../lab/sim/prosync/seed-setup";
import { disposeLabs, makeLab, TEST_TIME_SCALE } from "../../../lab/sim/tibero/lab-harness";
import { seedProsyncTopology } from "../../../lab/sim/tibero/topology";
import { bundleSimulators, pollUntil } from "../../status/built-sims";
import { localRunner } from "../../status/local-runner";
import type { ClusterObservation, ProbeTarget, RemoteRunner } from "../../status/types";
import { probeProsync } from "./status";

const NODES = [
  { node: "tibero1", agent: "agent1", ip: "172.19.0.11" },
  { node: "tibero2", agent: "agent2", ip: "172.19.0.12" },
  { node: "tibero_tar1", agent: "agent3", ip: "172.19.0.13" },
  { node: "tibero_tar2", agent: "agent4", ip: "172.19.0.14" },
] as const;

let sims: Awaited<ReturnType<typeof bundleSimulators>>;

beforeAll(async () => {
  sims = await bundleSimulators(["cmrctl", "prs_adm"]);
}, 60_000);
afterAll(async () => {
  await disposeLabs();
  await sims?.dispose();
});

const target: ProbeTarget = {
  engine: "PROSYNC",
  version: "4",
  settings: { PRS_HOME: "/home/prosync", TB_HOME: "/home/tibero/tibero/tibero7", TB_SID: "tibero1" },
  nodes: NODES.map((n) => ({ name: n.agent, type: "agent", role: "", group: null, hostName: n.node, hostAddress: n.ip })),
};
const node = (o: ClusterObservation, name: string) => o.nodes.find((n) => n.name === name);

describe("ProSync prober on the built cmrctl and prs_adm", () => {
  it("seed 003 set up: every agent running and UP in CM, processes placed; an agent's host down → degraded, then failover", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await seedCmFailoverSetup(lab);
    const run: RemoteRunner = localRunner(Object.fromEntries(NODES.map((n) => [n.node, { env: lab.envFor(n.node), path: [sims.binDir] }])));

    const o = await probeProsync(target, run);
    expect(o.errors).toEqual([]);
    expect(o).toMatchObject({ health: "healthy", reason: "all 4 agents and their processes running" });
    expect(o.nodes.map((n) => [n.name, n.group, n.groupState, n.actual, n.detail.cmStatus, n.detail.processes, n.mismatch])).toEqual([
      ["agent1", "CM1", "UP", "running", "UP", "prosync_ext1, prosync_llob", false],
      ["agent2", "CM1", "UP", "running", "UP", "prosync_ext2", false],
      ["agent3", "CM2", "UP", "running", "UP", "prosync_apply1", false],
      // agent4 is apply's second choice: it runs, and no process is placed on it.
      ["agent4", "CM2", "UP", "running", "UP", "", false],
    ]);
    expect(o.panels.prosync).toMatchObject({ prsAdmHost: "tibero1", instances: [{ instanceId: "prosync" }] });

    await agentNodeDown(lab.stateDir, "agent1", { timeScale: TEST_TIME_SCALE });
    const lost = await probeProsync(target, run);
    expect(lost.health).toBe("degraded");
    expect(node(lost, "agent1")).toMatchObject({ actual: "not running", mismatch: true });
    expect(lost.errors.map((e) => e.host)).toEqual(["tibero1", "tibero1"]);
    expect(lost.errors[1]?.message).toMatch(/^prs_adm: unreachable host tibero1: lab: host 172\.19\.0\.11 is down$/);
    expect(lost.panels.prosync).toMatchObject({ prsAdmHost: "tibero2" });

    const moved = await pollUntil(() => probeProsync(target, run), (x) => node(x, "agent2")?.detail.processes === "prosync_ext1, prosync_ext2, prosync_llob", 5_000, "failover to agent2");
    expect(moved.reason).toMatch(/^agent agent1 not running/);
    expect(moved.reason).not.toContain("process ");

    // prs_adm missing everywhere: CM's agent resources still make the table, flagged.
    const noPrsAdm: RemoteRunner = async (host, argv, opts) =>
      argv[0] === "prs_adm" ? { ok: true, exitCode: 127, stdout: "", stderr: "bash: prs_adm: command not found\n" } : run(host, argv, opts);
    const cmOnly = await probeProsync(target, noPrsAdm);
    expect(cmOnly.health).toBe("degraded");
    expect(cmOnly.reason).toMatch(/^prs_adm answered on no agent host: .*tibero2: prs_adm: command not found: prs_adm/);
    expect(cmOnly.nodes.map((n) => [n.name, n.group, n.actual, n.mismatch])).toEqual([
      ["agent2", "CM1", "UP", false],
      ["agent3", "CM2", "UP", false],
      ["agent4", "CM2", "UP", false],
    ]);
  });
});
