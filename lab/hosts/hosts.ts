import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { exec } from "../../lib/ssh/exec";
import { SshPool } from "../../lib/ssh/pool";
import type { SshTarget } from "../../lib/ssh/target";
import { exposeSimulatorBin, labPath } from "./bin-dir";
import { estatePath, readEstate, writeEstate, type LabEstate, type LabHostState } from "./estate-file";
import { ensureClientKey, ensureHostKey, fingerprintOfKeyFile, regenerateHostKey } from "./keys";
import { clientKeyPath, defaultRunDir, hostRunDir, labUserName, repoRoot, sharedRoot } from "./paths";
import { isOurSshd, killSshdTree } from "./processes";
import { runCommand, runOrThrow } from "./run-command";
import { parseLabHostSpecs, type LabHostSpec, type ParsedLabHostSpec } from "./spec";
import { renderSshdConfig } from "./sshd-config";
import { ensureLabUser, setLabUserPassword, writeAuthorizedKeys } from "./users";

export type LabOptions = { runDir?: string; readyTimeoutMs?: number };

const sshdPath = "/usr/sbin/sshd";

export async function startLabHosts(specs: readonly LabHostSpec[], options: LabOptions = {}): Promise<LabEstate> {
  const runDir = path.resolve(options.runDir ?? defaultRunDir);
  const parsed = parseLabHostSpecs(specs);
  await ensureOpenSsh();
  await mkdir(runDir, { recursive: true });
  await mkdir(sharedRoot, { recursive: true });
  await chmod(sharedRoot, 0o755);
  const client = await ensureClientKey();
  const binDir = await exposeSimulatorBin();
  const previous = await readEstate(runDir);

  for (const old of previous?.hosts ?? []) {
    if (!parsed.some((s) => s.name === old.name) && isOurSshd(old.pid, old.configPath)) await killSshdTree(old.pid!);
  }

  const hosts: LabHostState[] = [];
  for (const spec of parsed) {
    const before = previous?.hosts.find((h) => h.name === spec.name) ?? null;
    hosts.push(await provisionHost(spec, runDir, binDir, client.publicKeyLine, before));
  }
  for (const host of hosts) if (!isOurSshd(host.pid, host.configPath)) host.pid = launchSshd(host);

  const estate: LabEstate = { version: 1, runDir, sharedRoot, binDir, clientKeyPath, hosts };
  await writeEstate(estate);
  await Promise.all(hosts.map((h) => waitUntilLoginWorks(h, options.readyTimeoutMs)));
  return estate;
}

export async function stopLabHosts(runDir: string = defaultRunDir): Promise<void> {
  const estate = await readEstate(path.resolve(runDir));
  if (!estate) return;
  await Promise.all(estate.hosts.map((h) => (isOurSshd(h.pid, h.configPath) ? killSshdTree(h.pid!) : undefined)));
  for (const h of estate.hosts) await rm(path.join(path.dirname(h.configPath), "sshd.pid"), { force: true });
  await rm(estatePath(estate.runDir), { force: true });
}

export type LabHostStatus = { name: string; address: string; port: number; user: string; up: boolean; pid: number | null; hostKeyFingerprint: string };

export async function labStatus(runDir: string = defaultRunDir): Promise<LabHostStatus[] | null> {
  const estate = await readEstate(path.resolve(runDir));
  if (!estate) return null;
  return estate.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    up: isOurSshd(h.pid, h.configPath),
    pid: h.pid,
    hostKeyFingerprint: h.hostKeyFingerprint,
  }));
}

// Fault: the host is down (listener and all its sessions killed). Existing connections drop.
export async function stopHost(name: string, options: LabOptions = {}): Promise<LabHostState> {
  return updateHost(name, options, async (host) => {
    if (isOurSshd(host.pid, host.configPath)) await killSshdTree(host.pid!);
    host.pid = null;
  });
}

export async function startHost(name: string, options: LabOptions = {}): Promise<LabHostState> {
  const host = await updateHost(name, options, async (h) => {
    if (!isOurSshd(h.pid, h.configPath)) h.pid = launchSshd(h);
  });
  await waitUntilLoginWorks(host, options.readyTimeoutMs);
  return host;
}

// Fault: the host was "reinstalled": a new host key, sshd restarted. Clients pinned to the old
// fingerprint must now refuse it.
export async function changeHostKey(name: string, options: LabOptions = {}): Promise<LabHostState> {
  const host = await updateHost(name, options, async (h) => {
    if (isOurSshd(h.pid, h.configPath)) await killSshdTree(h.pid!);
    await regenerateHostKey(h.hostKeyPath, `keel-lab-${h.name}`);
    h.hostKeyFingerprint = await fingerprintOfKeyFile(`${h.hostKeyPath}.pub`);
    h.configHash = await configHashOf(h);
    h.pid = launchSshd(h);
  });
  await waitUntilLoginWorks(host, options.readyTimeoutMs);
  return host;
}

// An SshTarget for lib/ssh, already trusting the host's current key.
export async function labSshTarget(estate: LabEstate, name: string): Promise<SshTarget> {
  const host = estate.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no lab host named ${name}`);
  return {
    address: host.address,
    port: host.port,
    user: host.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
    credential: { type: "private-key", privateKey: await readFile(estate.clientKeyPath, "utf8") },
  };
}

async function updateHost(name: string, options: LabOptions, change: (host: LabHostState) => Promise<void>): Promise<LabHostState> {
  const runDir = path.resolve(options.runDir ?? defaultRunDir);
  const estate = await readEstate(runDir);
  const host = estate?.hosts.find((h) => h.name === name);
  if (!estate || !host) throw new Error(`no lab host named ${name} in ${estatePath(runDir)}`);
  await change(host);
  await writeEstate(estate);
  return host;
}

async function provisionHost(spec: ParsedLabHostSpec, runDir: string, binDir: string, clientPublicKey: string, before: LabHostState | null): Promise<LabHostState> {
  const dir = hostRunDir(runDir, spec.name);
  const user = labUserName(spec.name);
  const home = path.join(sharedRoot, "homes", spec.name);
  const hostKeyPath = path.join(dir, "ssh_host_ed25519_key");
  const configPath = path.join(dir, "sshd_config");
  const pidFile = path.join(dir, "sshd.pid");
  const config = renderSshdConfig({
    address: spec.address,
    port: spec.port,
    hostKeyPath,
    pidFile,
    user,
    env: { ...spec.env, PATH: labPath(binDir) },
    maxSessions: spec.maxSessions,
    passwordAuthentication: spec.password !== undefined,
  });

  // Fast path: the same host is already up with the same config, key and client key.
  if (before && isOurSshd(before.pid, before.configPath) && before.configPath === configPath && existsSync(`${hostKeyPath}.pub`)) {
    const hash = hashOf(config, await readFile(`${hostKeyPath}.pub`, "utf8"), clientPublicKey, spec.password ?? "");
    if (hash === before.configHash) return { ...before, spec };
  }
  if (before && isOurSshd(before.pid, before.configPath)) await killSshdTree(before.pid!);

  await mkdir(dir, { recursive: true });
  const labUser = await ensureLabUser(user, home);
  await writeAuthorizedKeys(labUser, clientPublicKey);
  await setLabUserPassword(user, spec.password ?? null);
  await ensureHostKey(hostKeyPath, `keel-lab-${spec.name}`);
  await writeFile(configPath, config);
  const check = await runCommand(sshdPath, ["-t", "-f", configPath]);
  if (check.code !== 0) throw new Error(`sshd rejected ${configPath}: ${check.stderr.trim()}`);
  const publicKey = await readFile(`${hostKeyPath}.pub`, "utf8");
  return {
    spec,
    name: spec.name,
    address: spec.address,
    port: spec.port,
    user,
    home,
    hostKeyFingerprint: await fingerprintOfKeyFile(`${hostKeyPath}.pub`),
    hostKeyPath,
    configPath,
    logPath: path.join(dir, "sshd.log"),
    configHash: hashOf(config, publicKey, clientPublicKey, spec.password ?? ""),
    pid: null,
  };
}

function hashOf(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
}

async function configHashOf(host: LabHostState): Promise<string> {
  const clientPublicKey = (await readFile(`${clientKeyPath}.pub`, "utf8")).trim();
  return hashOf(await readFile(host.configPath, "utf8"), await readFile(`${host.hostKeyPath}.pub`, "utf8"), clientPublicKey, host.spec.password ?? "");
}

function launchSshd(host: LabHostState): number {
  const child = spawn(sshdPath, ["-D", "-f", host.configPath, "-E", host.logPath], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start sshd for ${host.name}`);
  return child.pid;
}

// Ready means a real SSH login and command succeed, polled until a deadline.
async function waitUntilLoginWorks(host: LabHostState, timeoutMs = 15_000): Promise<void> {
  const target: SshTarget = {
    address: host.address,
    port: host.port,
    user: host.user,
    hostKeyFingerprint: host.hostKeyFingerprint,
    credential: { type: "private-key", privateKey: await readFile(clientKeyPath, "utf8") },
  };
  const pool = new SshPool({ connectTimeoutMs: 2_000 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const result = await exec(target, ["true"], { timeoutMs: 5_000, pool });
      if (result.ok) return;
      const exited = !isOurSshd(host.pid, host.configPath);
      if (exited || Date.now() > deadline) {
        const log = existsSync(host.logPath) ? (await readFile(host.logPath, "utf8")).split("\n").slice(-15).join("\n") : "";
        throw new Error(`lab host ${host.name} (${host.address}:${host.port}) is not ready${exited ? ": sshd exited" : ""}: ${result.error.message}\n${log}`);
      }
      pool.closeAll();
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    pool.closeAll();
  }
}

async function ensureOpenSsh(): Promise<void> {
  if (existsSync(sshdPath) && existsSync("/run/sshd")) return;
  await runOrThrow("bash", [path.join(repoRoot, "lab", "ensure-openssh.sh")]);
}
