import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStatus } from "../../../lib/engines/prosync/parse-status";
import { parseGroupRequest, parseResourceChange, parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { disposeLabs, makeLab, waitFor, type Lab } from "../tibero/lab-harness";
import { seedProsyncTopology } from "../tibero/topology";
import { AGENT_OF_NODE, addCmId, createTac, installAgentsOn, must, prepareAgentScript, prsFixture, waitGroupUp } from "./seed-setup";

const TIBERO_FIXTURES = path.join(import.meta.dirname, "../../../lib/engines/tibero/fixtures");
const SEED_TB_HOME = "/home/tibero/tibero/tibero7";

function seedPaths(lab: Lab, text: string): string {
  let out = text;
  for (const node of Object.keys(AGENT_OF_NODE)) out = out.replaceAll(lab.tbHome(node), SEED_TB_HOME);
  return out;
}

async function showAll(lab: Lab, node: string) {
  const r = await lab.run(node, "cmrctl", ["show", "all"]);
  const parsed = parseShowAll(r.stdout);
  if (!parsed.ok) throw new Error(`${parsed.error.message}: ${parsed.error.line}`);
  return parsed.value;
}

afterAll(disposeLabs);

describe("seed 003: ProSync CM failover set-up, end to end", () => {
  it("installs agents, registers CM groups and agents, starts them, and prs_adm shows everything running", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await createTac(lab, "cls_tibero");
    await createTac(lab, "cls_tibero_tar");

    // §1: `. prs_install_agent.sh` prints exactly the seed's four steps.
    const install = must(await installAgentsOn(lab, "tibero1"), "install");
    const seedInstall = prsFixture("prs_install_agent-session.txt").split("\n").slice(2).join("\n");
    expect(install.stdout.replaceAll(lab.prsHome("tibero1"), "/home/prosync/example")).toBe(seedInstall);
    // Agents sharing a CM_ID share a script name: agent3 overwrote agent1's prs_0.sh (hence the seed's §2 edit).
    const generated = await readFile(path.join(lab.prsHome("tibero1"), "bin", "prs_0.sh"), "utf8");
    expect(generated).toMatch(/^#!\/bin\/sh\n/);
    expect(generated).toContain("\nAGENT_ID=agent3 ");
    const agentCfg = await readFile(path.join(lab.prsHome("tibero1"), "config", "prs_agent_agent1.cfg"), "utf8");
    expect(agentCfg).toContain("LISTENER_PORT = 7600");

    for (const node of Object.keys(AGENT_OF_NODE)) {
      if (node !== "tibero1") must(await installAgentsOn(lab, node), `install on ${node}`);
      await prepareAgentScript(lab, node, "/bin/bash");
      await addCmId(lab, node); // §5.1–5.5
    }

    // §5.6: the cluster as the seed prints it.
    const before = (await lab.run("tibero1", "cmrctl", ["show", "all"])).stdout;
    expect(seedPaths(lab, before)).toBe(await readFile(path.join(TIBERO_FIXTURES, "cmrctl-show-all-before-groups.txt"), "utf8"));

    // §5.7: group; defaults to failover ON.
    const addGroup = await lab.run("tibero1", "cmrctl", ["add", "group", "--name", "CM1", "--cname", "cls_tibero", "--grptype", "prosync"]);
    expect(parseResourceChange(addGroup.stdout)).toEqual({ ok: true, value: { action: "add", type: "group", name: "CM1" } });
    expect((await lab.run("tibero2", "cmrctl", ["add", "group", "--name", "CM1", "--cname", "cls_tibero", "--grptype", "prosync"])).code).toBe(1);
    expect((await lab.run("tibero1", "cmrctl", ["add", "group", "--name", "CMX", "--cname", "cls_nope", "--grptype", "prosync"])).stderr).toContain("cluster resource 'cls_nope' not found");
    must(await lab.run("tibero_tar1", "cmrctl", ["add", "group", "--name", "CM2", "--cname", "cls_tibero_tar", "--grptype", "prosync", "--failover", "true"]), "CM2");

    // §5.8: one agent per node, script at $TB_HOME/prs_<cm_id>.sh.
    for (const [node, agent] of Object.entries(AGENT_OF_NODE)) {
      const script = path.join(lab.tbHome(node), `prs_${agent.cmId}.sh`);
      const r = await lab.run(node, "cmrctl", ["add", "agent", "--name", agent.id, "--grpname", agent.group, "--script", script]);
      expect(parseResourceChange(r.stdout)).toEqual({ ok: true, value: { action: "add", type: "agent", name: agent.id } });
    }
    const registered = await showAll(lab, "tibero2");
    expect(registered.nodes.map((n) => n.resources.slice(5).map((r) => `${r.type}:${r.name}:${r.status}`))).toEqual([
      ["group:CM1:DOWN", "agent:agent1:DOWN"],
      ["group:CM1:DOWN", "agent:agent2:DOWN"],
    ]);
    expect(registered.nodes[0]?.resources[5]?.detail).toBe("type: prosync (failover: ON)");

    // §5.9: start the group; the request box first, then the resources come UP.
    const start = await lab.run("tibero1", "cmrctl", ["start", "group", "--name", "CM1"]);
    expect(parseGroupRequest(start.stdout)).toEqual({ ok: true, value: { verb: "boot", group: "CM1" } });
    const up = await waitGroupUp(lab, "tibero1");
    expect(seedPaths(lab, start.stdout + up)).toBe(await readFile(path.join(TIBERO_FIXTURES, "cmrctl-start-group.txt"), "utf8"));
    must(await lab.run("tibero_tar2", "cmrctl", ["start", "group", "--name", "CM2"]), "start CM2");
    await waitGroupUp(lab, "tibero_tar1");

    // §6: prs_adm status is the seed's, byte for byte.
    const adm = await lab.run("tibero1", "prs_adm", [], { stdin: "status\n" });
    expect(`$ prs_adm\n${adm.stdout}`).toBe(prsFixture("prs_adm-status.txt"));
    const status = parseStatus(adm.stdout);
    if (!status.ok) throw new Error(status.error.message);
    expect(status.value.agents.every((a) => a.state === "running")).toBe(true);
    expect(status.value.instances[0]?.processes.every((p) => p.state === "running")).toBe(true);
  });

  it("a #!/bin/sh agent script fails with exit 127 and CM gives up after retry_cnt", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await createTac(lab, "cls_tibero");
    must(await installAgentsOn(lab, "tibero1"), "install");
    const script = await prepareAgentScript(lab, "tibero1", "/bin/sh");
    await addCmId(lab, "tibero1");
    must(await lab.run("tibero1", "cmrctl", ["add", "group", "--name", "CM1", "--cname", "cls_tibero", "--grptype", "prosync"]), "group");
    must(await lab.run("tibero1", "cmrctl", ["add", "agent", "--name", "agent1", "--grpname", "CM1", "--script", script, "--retry_cnt", "2"]), "agent");
    must(await lab.run("tibero1", "cmrctl", ["start", "group", "--name", "CM1"]), "start");
    const detail = await waitFor(async () => {
      const agent = (await showAll(lab, "tibero1")).nodes[0]?.resources.find((r) => r.type === "agent");
      return agent?.detail.endsWith("start retry cnt: 2") ? agent : undefined;
    });
    expect(detail.status).toBe("DOWN");
    const log = await readFile(path.join(lab.stateDir, "log", "cm_tibero1.log"), "utf8");
    expect(log).toContain(`START failed with exit 127: ${script}: 7: source: not found`);
    const varDir = path.join(lab.prsHome("tibero1"), "var");
    expect(await readFile(path.join(varDir, "prs_cm_sh_err_agent1.log"), "utf8")).toBe(`${script}: 7: source: not found\n`);
    expect(await readFile(path.join(varDir, "cmagent.log"), "utf8")).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d cm agent Start \(Agent Command START\)\nstart 7 agent1\n/);
    const adm = parseStatus((await lab.run("tibero1", "prs_adm", [], { stdin: "status\n" })).stdout);
    expect(adm.ok && adm.value.agents[0]).toMatchObject({ id: "agent1", state: "not running" });

    // The seed's fix: /bin/bash; starting the group again brings the agent UP.
    await prepareAgentScript(lab, "tibero1", "/bin/bash");
    must(await lab.run("tibero1", "cmrctl", ["start", "group", "--name", "CM1"]), "restart");
    await waitGroupUp(lab, "tibero1");
  });

  it("an agent refuses to start without CM_ID in the CM tip, or on a CM whose CM_ID differs", async () => {
    const lab = await makeLab(seedProsyncTopology());
    await createTac(lab, "cls_tibero");
    must(await installAgentsOn(lab, "tibero2"), "install");
    const script = await prepareAgentScript(lab, "tibero2", "/bin/bash");
    must(await lab.run("tibero2", "cmrctl", ["add", "group", "--name", "CM1", "--cname", "cls_tibero", "--grptype", "prosync"]), "group");
    must(await lab.run("tibero2", "cmrctl", ["add", "agent", "--name", "agent2", "--grpname", "CM1", "--script", script]), "agent");
    must(await lab.run("tibero2", "cmrctl", ["start", "group", "--name", "CM1"]), "start");
    const log = path.join(lab.stateDir, "log", "cm_tibero2.log");
    expect(await readFile(log, "utf8")).toContain("prs_agent agent2: CM_ID is not set in the tip of cm_tibero2");
    await addCmId(lab, "tibero2");
    must(await lab.run("tibero2", "cmrctl", ["start", "group", "--name", "CM1"]), "start again");
    await waitGroupUp(lab, "tibero2");
    expect((await lab.run("tibero2", "cmrctl", ["add", "agent", "--name", "agent9", "--grpname", "CM1", "--script", "prs_9.sh"])).stderr).toContain("absolute path");
  });
});
