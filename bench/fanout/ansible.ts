import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LabEstate } from "@/lab/hosts";
import { listProcesses, killPids, runTimed } from "./processes";
import type { FanoutResult } from "./keel";

export type AnsibleSetup = { inventory: string; env: NodeJS.ProcessEnv; controlPathDir: string; forks: number };

// Everything ansible would write under ~/.ansible (local temp, control sockets) and on the hosts
// (remote temp) is pointed into the workspace, so removing the workspace removes it all.
export async function prepareAnsible(estate: LabEstate, workspace: string, knownHosts: string): Promise<AnsibleSetup> {
  const dir = path.join(workspace, "ansible");
  const controlPathDir = path.join(dir, "cp");
  const remoteTmpRoot = path.join(workspace, "remote-tmp");
  await mkdir(controlPathDir, { recursive: true, mode: 0o700 });
  await mkdir(path.join(dir, "local"), { recursive: true });
  // Each lab user creates its own remote temp dir here (ansible makes it 0700 for the first user).
  await mkdir(remoteTmpRoot);
  await chmod(remoteTmpRoot, 0o1777);
  const forks = estate.hosts.length;
  const config = path.join(dir, "ansible.cfg");
  await writeFile(config, renderConfig({ forks, knownHosts, controlPathDir, localTmp: path.join(dir, "local") }));
  const inventory = path.join(dir, "inventory.ini");
  await writeFile(inventory, renderInventory(estate, remoteTmpRoot));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_CONFIG: config,
    ANSIBLE_HOME: path.join(dir, "home"),
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_FORCE_COLOR: "0",
  };
  return { inventory, env, controlPathDir, forks };
}

// ansible-core's own defaults kept where they help it (ControlMaster/ControlPersist, -C); pipelining
// on, so each host costs one ssh round trip per module: ansible at its fastest, not a strawman.
function renderConfig(o: { forks: number; knownHosts: string; controlPathDir: string; localTmp: string }): string {
  const sshArgs = [
    "-F /dev/null",
    "-C -o ControlMaster=auto -o ControlPersist=60s",
    `-o UserKnownHostsFile=${o.knownHosts} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`,
    "-o BatchMode=yes",
  ].join(" ");
  return [
    "[defaults]",
    `forks = ${o.forks}`,
    "host_key_checking = True",
    "interpreter_python = /usr/bin/python3",
    `local_tmp = ${o.localTmp}`,
    "retry_files_enabled = False",
    "deprecation_warnings = False",
    "",
    "[ssh_connection]",
    `ssh_args = ${sshArgs}`,
    `control_path_dir = ${o.controlPathDir}`,
    "pipelining = True",
    "",
  ].join("\n");
}

function renderInventory(estate: LabEstate, remoteTmpRoot: string): string {
  const lines = estate.hosts.map((h) =>
    [
      h.name,
      `ansible_host=${h.address}`,
      `ansible_port=${h.port}`,
      `ansible_user=${h.user}`,
      `ansible_ssh_private_key_file=${estate.clientKeyPath}`,
      `ansible_remote_tmp=${path.join(remoteTmpRoot, h.name)}`,
    ].join(" "),
  );
  return ["[bench]", ...lines, ""].join("\n");
}

// One-line output: "bf01 | CHANGED | rc=0 | (stdout) 127.0.0.61".
const okLine = /^(\S+) \| (?:CHANGED|SUCCESS) \| rc=0 \| \(stdout\) (.*)$/;

export async function ansibleFanout(setup: AnsibleSetup, command: string): Promise<FanoutResult> {
  const args = ["all", "-i", setup.inventory, "-f", String(setup.forks), "-o", "-m", "shell", "-a", command];
  const r = await runTimed("ansible", args, setup.env, 300_000);
  const answers = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const m = okLine.exec(line);
    if (m) answers.set(m[1]!, m[2]!);
  }
  if (r.code !== 0) {
    const failures = r.stdout.split("\n").filter((l) => l.trim() !== "" && !okLine.test(l));
    console.error(`  ansible exited ${r.code ?? r.signal}:\n${indent([...failures, r.stderr].join("\n"))}`);
  }
  return { ms: r.ms, answers };
}

// ControlPersist masters detach from ansible (ssh daemonises them), so they are found by the
// workspace's control-socket path in their title: "ssh: <dir>/cp/<hash> [mux]".
export function ansibleMuxPids(controlPathDir: string): number[] {
  return listProcesses()
    .filter((p) => p.pid !== process.pid && p.cmdline.includes(`${controlPathDir}/`))
    .map((p) => p.pid);
}

export async function stopAnsibleMuxes(controlPathDir: string): Promise<number[]> {
  const pids = ansibleMuxPids(controlPathDir);
  await killPids(pids);
  return pids;
}

function indent(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
