// Makes each simulated cluster of the definition ready on disk: state and home directories with the
// right owners, topology.json, and for Tibero/ProSync a created, running TAC (and installed, running
// ProSync agents) — done once per fresh state, recorded by a marker file.
import { existsSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { labGroup, labUserName, repoRoot } from "../hosts/paths";
import { runOrThrow } from "../hosts/run-command";
import { ensureLabStateDir } from "../hosts/state-dir";
import { addCmId, AGENT_OF_NODE, prepareAgentScript, registerGroup, waitGroupUp } from "../sim/prosync/seed-setup";
import type { Lab } from "../sim/tibero/lab-harness";
import { settle as settleGbase } from "../sim/gbase/store";
import { provisionTiberoHome } from "../sim/tibero/provision";
import { createTac, must } from "../sim/tibero/seed-steps";
import { TOOLS } from "../sim/tibero/tools";
import { TopologySchema, type Topology } from "../sim/tibero/topology";
import { lookupAccount } from "../postgres/run-as";
import type { LabEstate } from "../hosts/estate-file";
import type { EstateCluster, EstateDefinition } from "./definition";

const READY = ".keel-estate-ready";

/**
 * sshd forces a session umask of 022, but the simulators share a cluster's files between its hosts'
 * users through the keel-lab group, so every lab user's commands must run with umask 002. Debian's
 * bash sources ~/.bashrc (not BASH_ENV) for a command run by sshd (measured), so each lab home gets a
 * one-line .bashrc sourcing the shared profile.
 */
export async function writeShellProfiles(def: EstateDefinition, lab: LabEstate): Promise<void> {
  await mkdir(path.dirname(def.profilePath), { recursive: true });
  await writeFile(def.profilePath, "# Keel lab: a cluster's state is shared by its hosts' users (group keel-lab)\numask 002\n", { mode: 0o644 });
  await chmod(def.profilePath, 0o644);
  for (const h of lab.hosts) {
    const rc = path.join(h.home, ".bashrc");
    await writeFile(rc, `. ${def.profilePath}\n`, { mode: 0o644 });
    const account = await lookupAccount(h.user);
    await chown(rc, account.uid, account.gid);
  }
}

/** Ensures the cluster's dirs; returns true when it was (re)built from scratch this time. */
export async function provisionCluster(def: EstateDefinition, c: EstateCluster, o: { fresh?: boolean } = {}): Promise<boolean> {
  if (c.stateDir) await ensureLabStateDir(path.basename(c.stateDir));
  await ensureLabStateDir(path.basename(c.homesDir));
  const marker = path.join(c.homesDir, READY);
  if (c.engine === "POSTGRESQL") {
    if (o.fresh) await emptyDir(c.homesDir);
    return o.fresh ?? false;
  }
  if (existsSync(marker) && !o.fresh) return false;
  await emptyDir(c.homesDir);
  if (c.stateDir) await emptyDir(c.stateDir);
  const hosts = def.hosts.filter((h) => h.cluster === c.name);
  for (const h of hosts) await mkdir(path.join(c.homesDir, h.name), { recursive: true });
  // A Machbase home holds dbs/ and conf/ (what an upgrade backs up and extracts over).
  if (c.engine === "MACHBASE") for (const h of hosts) await machbaseHome(path.join(c.homesDir, h.name, "machbase"));
  if (c.stateDir) await writeFile(path.join(c.stateDir, "topology.json"), JSON.stringify(c.topology, null, 2) + "\n");
  if (c.engine === "TIBERO" || c.engine === "PROSYNC") await bringUpTac(def, c);
  // The gcware data directories exist from the start, so a plain `ls` (the snapshot panel, the flush
  // procedure's record step) finds them before any simulator has run on that host.
  if (c.engine === "GBASE" && c.stateDir) settleGbase(c.stateDir);
  for (const h of hosts) await ownTree(path.join(c.homesDir, h.name), labUserName(h.name));
  if (c.stateDir) await groupWritable(c.stateDir);
  await writeFile(marker, new Date().toISOString() + "\n");
  return true;
}

async function machbaseHome(home: string): Promise<void> {
  await mkdir(path.join(home, "dbs"), { recursive: true });
  await mkdir(path.join(home, "conf"), { recursive: true });
  await writeFile(path.join(home, "conf", "machbase.conf"), "# Machbase lab configuration\nPORT_NO = 5656\n");
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
}

async function ownTree(dir: string, user: string): Promise<void> {
  await lookupAccount(user);
  await runOrThrow("chown", ["-R", `${user}:${labGroup}`, dir]);
  await runOrThrow("chmod", ["-R", "g+w", dir]);
  await chmod(dir, 0o2775);
}

async function groupWritable(dir: string): Promise<void> {
  await runOrThrow("chgrp", ["-R", labGroup, dir]);
  await runOrThrow("chmod", ["-R", "g+w", dir]);
}

/** The in-process tool runner of lab/sim/tibero, with each node's env taken from the estate's hosts. */
function estateLab(def: EstateDefinition, c: EstateCluster, topology: Topology): Lab {
  const byNode = new Map(topology.clusters.flatMap((tc) => tc.nodes).map((n) => [n.name, def.hosts.find((h) => h.address === n.host)]));
  const envFor = (node: string): Record<string, string> => {
    const host = byNode.get(node);
    if (!host) throw new Error(`${c.name}: no estate host for node ${node}`);
    // Set-up runs at a small time scale so agent starts settle quickly; the hosts keep the estate's.
    return { ...host.env, KEEL_LAB_TIME_SCALE: "0.01" };
  };
  return {
    stateDir: c.stateDir ?? "",
    root: c.homesDir,
    topology,
    tbHome: (n) => envFor(n).TB_HOME ?? "",
    prsHome: (n) => envFor(n).PRS_HOME ?? "",
    envFor,
    async run(n, tool, argv, opts = {}) {
      const main = TOOLS[tool];
      if (!main) throw new Error(`no tool ${tool}`);
      return main({ argv, env: { ...envFor(n), ...opts.env }, stdin: opts.stdin ?? "", cwd: opts.cwd ?? c.homesDir, now: opts.at ?? Date.now() });
    },
  };
}

async function bringUpTac(def: EstateDefinition, c: EstateCluster): Promise<void> {
  const topology = TopologySchema.parse(c.topology);
  const lab = estateLab(def, c, topology);
  const cmCluster = topology.clusters[0]!;
  for (const [thread, node] of cmCluster.nodes.entries()) await provisionTiberoHome(lab.tbHome(node.name), cmCluster, node, { thread });
  // A TAC built with `database: "none"` (definition.ts) stays where seed 001 §15.5 starts: tips only.
  if (c.engine === "TIBERO" && !createsDatabase(c.topology)) return;
  await createTac(lab, cmCluster.name);
  if (c.engine !== "PROSYNC") return;
  for (const node of cmCluster.nodes) {
    await installProsyncFiles(lab.prsHome(node.name));
    await writeFile(path.join(lab.prsHome(node.name), "install", "prs_install_agent.cfg"), agentCfg(cmCluster.nodes.map((n) => ({ node: n.name, host: n.host }))));
    must(await lab.run(node.name, "prs_adm", ["--lab-install-agent"], { cwd: path.join(lab.prsHome(node.name), "install") }), `install agents on ${node.name}`);
    await prepareAgentScript(lab, node.name, "/bin/bash");
    await addCmId(lab, node.name);
  }
  await registerGroup(lab, cmCluster.name, "CM1");
  must(await lab.run(cmCluster.nodes[0]!.name, "cmrctl", ["start", "group", "--name", "CM1"]), "start CM1");
  await waitGroupUp(lab, cmCluster.nodes[0]!.name);
}

/** False when the topology says `initialDatabase: false` (tiberoCluster's `database: "none"`). */
function createsDatabase(topology: unknown): boolean {
  return !(typeof topology === "object" && topology !== null && "initialDatabase" in topology && topology.initialDatabase === false);
}

/** The ProSync install bash files in $PRS_HOME, where the seed runs them from. */
async function installProsyncFiles(prsHome: string): Promise<void> {
  const src = path.join(repoRoot, "lab", "sim", "prosync");
  for (const d of ["install", "config", "var", "bin"]) await mkdir(path.join(prsHome, d), { recursive: true });
  await writeFile(path.join(prsHome, "config", "prs_instance.map"), "");
  for (const f of ["prs_install_agent.sh", "prs_install.sh"]) await copyFile(path.join(src, f), path.join(prsHome, "install", f));
  await copyFile(path.join(src, "prs_cm.sh"), path.join(prsHome, "bin", "prs_cm.sh"));
  await chmod(path.join(prsHome, "bin", "prs_cm.sh"), 0o755);
}

/** Seed 003's prs_install_agent.cfg for this pair: AGENT_HOST = each node's lab address. */
function agentCfg(nodes: { node: string; host: string }[]): string {
  const lines = [`AGENT_CNT=${nodes.length}`, ""];
  nodes.forEach(({ node, host }, i) => {
    const a = AGENT_OF_NODE[node];
    if (!a) throw new Error(`no seed agent for node ${node}`);
    lines.push(`AGENT_ID_${i}=${a.id}`, `AGENT_HOST_${i}=${host}`, `AGENT_PORT_${i}=${7600 + 100 * i}`, `AGENT_CM_GROUP_${i}=${a.group}`, `AGENT_CM_ID_${i}=${a.cmId}`, "");
  });
  return lines.join("\n");
}
