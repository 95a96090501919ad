import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStatus } from "../../../lib/engines/prosync/parse-status";
import type { PrsStatus } from "../../../lib/engines/prosync/types";
import { parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { agentKill, agentNodeDown } from "../../faults/prosync";
import { nodeUp } from "../../faults/tibero";
import { BASE_MS } from "../tibero/context";
import { disposeLabs, makeLab, TEST_TIME_SCALE, waitFor, type Lab } from "../tibero/lab-harness";
import { seedProsyncTopology } from "../tibero/topology";
import { must, prsFixture, seedCmFailoverSetup, waitGroupUp } from "./seed-setup";

async function status(lab: Lab, node: string, at?: number): Promise<PrsStatus> {
  const r = await lab.run(node, "prs_adm", [], { stdin: "status\n", ...(at !== undefined ? { at } : {}) });
  const parsed = parseStatus(r.stdout);
  if (!parsed.ok) throw new Error(`${parsed.error.message}: ${parsed.error.line}`);
  return parsed.value;
}

const placement = (s: PrsStatus) => Object.fromEntries((s.instances[0]?.processes ?? []).map((p) => [p.name, p.agent?.id ?? p.state]));
const agentStates = (s: PrsStatus) => Object.fromEntries(s.agents.map((a) => [a.id, a.state]));
const detectMs = BASE_MS.failoverDetect * TEST_TIME_SCALE;

afterAll(disposeLabs);

describe("failover drill: a ProSync agent's node goes down", () => {
  it("with --failover true (the default) CM moves the agent's processes to the other agent", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await seedCmFailoverSetup(lab);
    expect(placement(await status(lab, "tibero2"))).toEqual({ prosync_ext1: "agent1", prosync_ext2: "agent2", prosync_apply1: "agent3", prosync_llob: "agent1" });

    const t0 = Date.now();
    expect(await agentNodeDown(lab.stateDir, "agent1", { now: t0, timeScale: TEST_TIME_SCALE })).toBe("tibero1");

    // Before CM has noticed, agent1's processes are simply down.
    const early = await status(lab, "tibero2", t0 + 1);
    expect(agentStates(early)).toEqual({ agent1: "not running", agent2: "running", agent3: "running", agent4: "running" });
    expect(placement(early)).toEqual({ prosync_ext1: "not running", prosync_ext2: "agent2", prosync_apply1: "agent3", prosync_llob: "not running" });

    // The downed host runs nothing.
    expect((await lab.run("tibero1", "cmrctl", ["show", "all"])).code).toBe(255);

    const moved = await waitFor(async () => {
      const s = await status(lab, "tibero2");
      return placement(s).prosync_ext1 === "agent2" ? s : undefined;
    }, 5_000, "ext1 on agent2");
    expect(placement(moved)).toEqual({ prosync_ext1: "agent2", prosync_ext2: "agent2", prosync_apply1: "agent3", prosync_llob: "agent2" });
    expect(moved.instances[0]?.processes[0]).toEqual({ name: "prosync_ext1", index: 1, state: "running", agent: { id: "agent2", host: "172.19.0.12", port: 7700 } });

    const cm = parseShowAll((await lab.run("tibero2", "cmrctl", ["show", "all"])).stdout);
    if (!cm.ok) throw new Error(cm.error.message);
    expect(cm.value.nodes.map((n) => n.cmName)).toEqual(["cm_tibero2"]);
    expect(cm.value.nodes[0]?.resources.slice(5).map((r) => `${r.type}:${r.name}:${r.status}`)).toEqual(["group:CM1:UP", "agent:agent2:UP"]);

    // Recovery: the host returns, CM and Tibero are started, the group is started again.
    await nodeUp(lab.stateDir, "tibero1");
    must(await lab.run("tibero1", "tbcm", ["-b"]), "tbcm -b");
    must(await lab.run("tibero1", "tbboot", []), "tbboot");
    must(await lab.run("tibero1", "cmrctl", ["start", "group", "--name", "CM1"]), "start group");
    await waitGroupUp(lab, "tibero1");
    const back = await lab.run("tibero1", "prs_adm", [], { stdin: "status\n" });
    expect(`$ prs_adm\n${back.stdout}`).toBe(prsFixture("prs_adm-status.txt"));
  });

  it("an agent process that dies on a healthy node is restarted by CM before ProSync fails over", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await seedCmFailoverSetup(lab);
    const t0 = Date.now();
    expect(await agentKill(lab.stateDir, "agent2", { now: t0, timeScale: TEST_TIME_SCALE })).toBe("tibero2");
    const during = await status(lab, "tibero1", t0 + 1);
    expect(agentStates(during).agent2).toBe("not running");
    expect(placement(during).prosync_ext2).toBe("not running");
    const after = t0 + BASE_MS.agentStart * TEST_TIME_SCALE;
    expect(placement(await status(lab, "tibero1", after))).toEqual({ prosync_ext1: "agent1", prosync_ext2: "agent2", prosync_apply1: "agent3", prosync_llob: "agent1" });
    const cm = parseShowAll((await lab.run("tibero1", "cmrctl", ["show", "all"], { at: after })).stdout);
    expect(cm.ok && cm.value.nodes[1]?.resources.at(-1)).toMatchObject({ name: "agent2", status: "UP", detail: expect.stringMatching(/start retry cnt: 1$/) });
  });

  it("with --failover false the processes stay down", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await seedCmFailoverSetup(lab, { failover: false });
    const shown = parseShowAll((await lab.run("tibero2", "cmrctl", ["show", "all"])).stdout);
    expect(shown.ok && shown.value.nodes[0]?.resources[5]?.detail).toBe("type: prosync (failover: OFF)");
    const t0 = Date.now();
    await agentNodeDown(lab.stateDir, "agent1", { now: t0, timeScale: TEST_TIME_SCALE });
    const later = await status(lab, "tibero2", t0 + 100 * detectMs);
    expect(placement(later)).toEqual({ prosync_ext1: "not running", prosync_ext2: "agent2", prosync_apply1: "agent3", prosync_llob: "not running" });
  });

  it("prs_install.sh records the seed's TAC2TAC instance; EXT_CNT must equal SRC_DB_CNT", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await seedCmFailoverSetup(lab);
    const install = path.join(lab.prsHome("tibero1"), "install");
    await mkdir(install, { recursive: true });
    await writeFile(path.join(install, "prs_install.cfg"), prsFixture("prs_install.cfg").replace("SRC_DB_CNT=2", "SRC_DB_CNT=1"));
    const refused = await lab.run("tibero1", "prs_adm", ["--lab-install"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`EXT_CNT (2) must equal SRC_DB_CNT (1) (${path.join(install, "prs_install.cfg")}:35)`);
    await writeFile(path.join(install, "prs_install.cfg"), prsFixture("prs_install.cfg"));
    const ok = must(await lab.run("tibero1", "prs_adm", ["--lab-install"]), "prs_install");
    // Step 2's parameter checks are the seed's lines, verbatim.
    const seedLines = prsFixture("prs_install-session.txt").split("\n");
    const from = seedLines.indexOf("Checking configuration file... ok");
    const to = seedLines.indexOf("Checking INSTANCE_ID... TAC2TAC");
    const ours = ok.stdout.split("\n");
    const ourFrom = ours.indexOf("Checking configuration file... ok");
    expect(ours.slice(ourFrom, ourFrom + (to - from))).toEqual(seedLines.slice(from, to));
    const s = await status(lab, "tibero1");
    expect(s.instances[0]?.instanceId).toBe("TAC2TAC");
    expect(placement(s)).toEqual({ TAC2TAC_ext1: "agent1", TAC2TAC_ext2: "agent2", TAC2TAC_apply1: "agent3", TAC2TAC_llob: "agent1" });
  });
});
