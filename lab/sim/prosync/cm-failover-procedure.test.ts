// Keel's prosync.cm-failover-setup and prosync.failover-drill plans executed step by step against the
// BUILT simulators through real `sh`, on the lab estate's two-node shape (agents installed, scripts in
// place, CM without CM_ID and without the group — where seed 003 §5 starts).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmFailoverSetup } from "../../../lib/engines/prosync/procedures/cm-failover-setup";
import { failoverDrill } from "../../../lib/engines/prosync/procedures/failover-drill";
import type { Procedure } from "../../../lib/runs/model";
import { compilePlan, type PlanContext } from "../../../lib/runs/plan";
import { bundleSimulators } from "../../../lib/status/built-sims";
import { localRunner } from "../../../lib/status/local-runner";
import { prosyncCluster } from "../../estate/definition";
import { PROSYNC_FAULTS } from "../../faults/prosync";
import { runPlan } from "../run-plan";
import { disposeLabs, makeLab, type Lab } from "../tibero/lab-harness";
import { TopologySchema } from "../tibero/topology";
import { AGENT_OF_NODE, createTac, must, prepareAgentScript } from "./seed-setup";

let sims: Awaited<ReturnType<typeof bundleSimulators>>;
beforeAll(async () => {
  sims = await bundleSimulators(["tbcm", "tbboot", "tbdown", "tbsql", "cmrctl", "prs_adm"]);
}, 60_000);
afterAll(async () => {
  await sims?.dispose();
  await disposeLabs();
});

const HOSTS = [
  { name: "prs1", address: "127.0.0.30", node: "tibero1" },
  { name: "prs2", address: "127.0.0.31", node: "tibero2" },
];

const inventory: PlanContext = {
  engine: "PROSYNC",
  version: "4",
  settings: {},
  nodes: HOSTS.flatMap((h, i) => [
    { name: `agent${i + 1}`, type: "agent", role: "", group: null, hostName: h.name, hostAddress: h.address },
    { name: `cm_${h.node}`, type: "cm", role: "", group: null, hostName: h.name, hostAddress: h.address },
  ]),
};

async function installedLab(): Promise<Lab> {
  const topology = TopologySchema.parse(prosyncCluster({ profilePath: "", timeScale: 1 }, "t-prs", HOSTS).cluster.topology);
  const lab = await makeLab(topology);
  await createTac(lab, "cls_prosync");
  const cfg = ["AGENT_CNT=2", ""];
  HOSTS.forEach((h, i) => {
    const a = AGENT_OF_NODE[h.node];
    cfg.push(`AGENT_ID_${i}=${a?.id ?? ""}`, `AGENT_HOST_${i}=${h.address}`, `AGENT_PORT_${i}=${7600 + 100 * i}`, `AGENT_CM_GROUP_${i}=CM1`, `AGENT_CM_ID_${i}=${a?.cmId ?? 0}`, "");
  });
  for (const h of HOSTS) {
    const home = lab.prsHome(h.node);
    for (const d of ["install", "config", "var", "bin"]) await mkdir(path.join(home, d), { recursive: true });
    await writeFile(path.join(home, "config", "prs_instance.map"), "");
    await writeFile(path.join(home, "install", "prs_install_agent.cfg"), cfg.join("\n"));
    must(await lab.run(h.node, "prs_adm", ["--lab-install-agent"], { cwd: path.join(home, "install") }), `install on ${h.node}`);
    await prepareAgentScript(lab, h.node, "/bin/bash");
  }
  return lab;
}

function execute<P extends Procedure>(procedure: P, params: unknown, lab: Lab, waitCapMs?: number) {
  const compiled = compilePlan(procedure, params, inventory);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  const run = localRunner(Object.fromEntries(HOSTS.map((h) => [h.name, { env: lab.envFor(h.node), path: [sims.binDir], cwd: lab.root }])));
  return runPlan(procedure, compiled.plan, run, { pollMs: 20, ...(waitCapMs === undefined ? {} : { waitCapMs }) });
}

describe("prosync CM failover on the simulator", () => {
  it("sets up CM failover (CM_ID once, group, agents, start) and the drill moves agent1's work to agent2 and back", async () => {
    const lab = await installedLab();
    const setup = await execute(cmFailoverSetup, { clusterName: "cls_prosync" }, lab);
    expect(setup.failedAt, JSON.stringify(setup.steps.at(-1))).toBeNull();
    const byKey = new Map(setup.steps.map((s) => [s.key, s]));
    expect(byKey.get("nodes[0]/add-cm-id")?.stdout).toMatch(/^CM_ID=0 added to .*\/cm_tibero1\.tip$/m);
    expect(byKey.get("add-group")?.stdout).toBe("Resource add success! (group, CM1)\n");
    expect(byKey.get("agents[1]/add-agent")?.stdout).toBe("Resource add success! (agent, agent2)\n");
    expect(byKey.get("prs-adm")?.stdout).toMatch(/^prosync_ext1 \(1\) is running \(prs_agent ID : agent1, HOST: 127\.0\.0\.30, PORT: 7600\)$/m);

    // Again on the set-up cluster: CM_ID is not added twice, registrations are already there.
    const again = await execute(cmFailoverSetup, { clusterName: "cls_prosync" }, lab);
    expect(again.failedAt, JSON.stringify(again.steps.at(-1))).toBeNull();
    expect(again.steps.find((s) => s.key === "nodes[1]/add-cm-id")?.stdout).toMatch(/^CM_ID=1 is already set in /);
    expect(again.steps.find((s) => s.key === "add-group")?.stdout).toContain("(already registered: nothing to do)");

    const drill = await execute(failoverDrill, { agent: "agent1" }, lab);
    expect(drill.failedAt, JSON.stringify(drill.steps.at(-1))).toBeNull();
    const moved = drill.steps.find((s) => s.key === "moved");
    expect(moved?.progress.at(-1)).toBe("prosync_ext1 on agent2, prosync_apply1 on agent2, prosync_llob on agent2");
    expect(drill.steps.find((s) => s.key === "back")?.progress.at(-1)).toBe("prosync_ext1 on agent1, prosync_apply1 on agent2, prosync_llob on agent1");
  }, 90_000);

  it("refuses an agent script with #!/bin/sh before stopping anything (the seed's exit 127; fault agent-script-sh)", async () => {
    const lab = await installedLab();
    const fault = PROSYNC_FAULTS["agent-script-sh"];
    expect(await fault?.(lab.stateDir, ["agent2"])).toBe(path.join(lab.tbHome("tibero2"), "prs_1.sh"));
    const result = await execute(cmFailoverSetup, { clusterName: "cls_prosync" }, lab);
    expect(result.failedAt).toBe("scripts[1]/script");
    expect(result.steps.at(-1)?.reason).toMatch(/prs_1\.sh: 7: source: not found; CM would get exit 127 — change the first line to #!\/bin\/bash/);
    expect(result.steps.some((s) => s.kind === "action")).toBe(false);
    await PROSYNC_FAULTS["agent-script-bash"]?.(lab.stateDir, ["agent2"]);
    expect((await execute(cmFailoverSetup, { clusterName: "cls_prosync", agents: ["agent2:1"] }, lab)).failedAt).toBeNull();
  }, 90_000);

  it("a registered agent whose script turns #!/bin/sh stays down after the drill restarts it: the last wait fails on it", async () => {
    const lab = await installedLab();
    expect((await execute(cmFailoverSetup, { clusterName: "cls_prosync" }, lab)).failedAt).toBeNull();
    await PROSYNC_FAULTS["agent-script-sh"]?.(lab.stateDir, ["agent1"]);
    const drill = await execute(failoverDrill, { agent: "agent1" }, lab, 1_500);
    expect(drill.failedAt).toBe("back");
    expect(drill.steps.at(-1)?.reason).toBe("agent agent1 not running");
  }, 90_000);
});
