import { readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import type { ToolResult } from "../tibero/context";
import type { Lab } from "../tibero/lab-harness";
import { waitFor } from "../tibero/lab-harness";
import { createTac, must } from "../tibero/seed-steps";

export { createTac, must };

// Seed 003's procedure as steps over a lab estate (seedProsyncTopology): shared by the tests.

const PRS_FIXTURES = path.join(import.meta.dirname, "../../../lib/engines/prosync/fixtures");
export const prsFixture = (name: string) => readFileSync(path.join(PRS_FIXTURES, name), "utf8");

/** The agent each node hosts in seed 003 (AGENT_HOST), and its CM_ID. */
export const AGENT_OF_NODE: Record<string, { id: string; cmId: number; group: string }> = {
  tibero1: { id: "agent1", cmId: 0, group: "CM1" },
  tibero2: { id: "agent2", cmId: 1, group: "CM1" },
  tibero_tar1: { id: "agent3", cmId: 0, group: "CM2" },
  tibero_tar2: { id: "agent4", cmId: 1, group: "CM2" },
};

/** §1 on one node: the seed's prs_install_agent.cfg in $PRS_HOME/install, then `. prs_install_agent.sh`. */
export async function installAgentsOn(lab: Lab, node: string): Promise<ToolResult> {
  const prsHome = lab.prsHome(node);
  await mkdir(path.join(prsHome, "install"), { recursive: true });
  await mkdir(path.join(prsHome, "config"), { recursive: true });
  await mkdir(path.join(prsHome, "var"), { recursive: true });
  await writeFile(path.join(prsHome, "config", "prs_instance.map"), "");
  await writeFile(path.join(prsHome, "install", "prs_install_agent.cfg"), prsFixture("prs_install_agent.cfg"));
  return lab.run(node, "prs_adm", ["--lab-install-agent"], { cwd: path.join(prsHome, "install") });
}

/**
 * §2–3 on one node: edit the generated prs_<cm_id>.sh as the seed asks (TB_HOME, AGENT_ID, and the
 * interpreter), place it at $TB_HOME/prs_<cm_id>.sh, and set USE_CM=Y in the agent's cfg.
 */
export async function prepareAgentScript(lab: Lab, node: string, shell: "/bin/sh" | "/bin/bash"): Promise<string> {
  const agent = AGENT_OF_NODE[node];
  if (!agent) throw new Error(node);
  const prsHome = lab.prsHome(node);
  const generated = await readFile(path.join(prsHome, "bin", `prs_${agent.cmId}.sh`), "utf8");
  const edited = generated
    .replace(/^#!.*$/m, `#!${shell}`)
    .replace(/^export TB_HOME=\S*/m, `export TB_HOME=${lab.tbHome(node)}`)
    .replace(/^AGENT_ID=\S+/m, `AGENT_ID=${agent.id}`);
  const target = path.join(lab.tbHome(node), `prs_${agent.cmId}.sh`);
  await writeFile(target, edited);
  await chmod(target, 0o755);
  const cfg = path.join(prsHome, "config", `prs_agent_${agent.id}.cfg`);
  const seedCfg = prsFixture("prs_agent_agent1.cfg").replaceAll("/home/prosync/example", prsHome).replaceAll("agent1", agent.id);
  await writeFile(cfg, seedCfg);
  return target;
}

/** §5.1–5.5: tbdown, tbcm -d, CM_ID as the first setting of cm_<SID>.tip, tbcm -b, tbboot. */
export async function addCmId(lab: Lab, node: string): Promise<void> {
  const agent = AGENT_OF_NODE[node];
  if (!agent) throw new Error(node);
  must(await lab.run(node, "tbdown", []), "tbdown");
  must(await lab.run(node, "tbcm", ["-d"]), "tbcm -d");
  const sid = lab.envFor(node).TB_SID;
  const tip = path.join(lab.tbHome(node), "config", `cm_${sid}.tip`);
  const text = await readFile(tip, "utf8");
  await writeFile(tip, text.replace(/^CM_NAME=/m, `CM_ID=${agent.cmId} # 여기에 CM_ID를 추가한다.\nCM_NAME=`));
  must(await lab.run(node, "tbcm", ["-b"]), "tbcm -b");
  must(await lab.run(node, "tbboot", []), "tbboot");
}

/** §5.7–5.8: the group on the cluster, each agent on its own node. */
export async function registerGroup(lab: Lab, clusterName: string, group: string, failover?: boolean): Promise<void> {
  const cluster = lab.topology.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(clusterName);
  const first = cluster.nodes[0]?.name ?? "";
  const args = ["add", "group", "--name", group, "--cname", clusterName, "--grptype", "prosync"];
  if (failover !== undefined) args.push("--failover", String(failover));
  must(await lab.run(first, "cmrctl", args), `add group ${group}`);
  for (const n of cluster.nodes) {
    const agent = AGENT_OF_NODE[n.name];
    if (!agent) continue;
    const script = path.join(lab.tbHome(n.name), `prs_${agent.cmId}.sh`);
    must(await lab.run(n.name, "cmrctl", ["add", "agent", "--name", agent.id, "--grpname", group, "--script", script]), `add agent ${agent.id}`);
  }
}

/** Polls `cmrctl show all` on `node` until every group and agent row is UP. */
export async function waitGroupUp(lab: Lab, node: string): Promise<string> {
  return waitFor(async () => {
    const r = await lab.run(node, "cmrctl", ["show", "all"]);
    const parsed = parseShowAll(r.stdout);
    if (!parsed.ok) throw new Error(parsed.error.message);
    // A node without agents of a group shows that group DOWN; only nodes hosting agents must be UP.
    const blocks = parsed.value.nodes.map((x) => x.resources.filter((y) => y.type === "group" || y.type === "agent")).filter((rows) => rows.some((y) => y.type === "agent"));
    return blocks.length > 0 && blocks.flat().every((x) => x.status === "UP") ? r.stdout : undefined;
  }, 5_000, `groups UP on ${node}`);
}

/** The whole of seed 003 §1–5.9 on the four-node estate; returns when both groups are UP. */
export async function seedCmFailoverSetup(lab: Lab, opts: { failover?: boolean } = {}): Promise<void> {
  await createTac(lab, "cls_tibero");
  await createTac(lab, "cls_tibero_tar");
  for (const node of Object.keys(AGENT_OF_NODE)) {
    must(await installAgentsOn(lab, node), `install agents on ${node}`);
    await prepareAgentScript(lab, node, "/bin/bash");
    await addCmId(lab, node);
  }
  await registerGroup(lab, "cls_tibero", "CM1", opts.failover);
  await registerGroup(lab, "cls_tibero_tar", "CM2", opts.failover);
  must(await lab.run("tibero1", "cmrctl", ["start", "group", "--name", "CM1"]), "start CM1");
  must(await lab.run("tibero_tar1", "cmrctl", ["start", "group", "--name", "CM2"]), "start CM2");
  await waitGroupUp(lab, "tibero1");
  await waitGroupUp(lab, "tibero_tar1");
}
