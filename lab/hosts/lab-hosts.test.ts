// The lab estate itself, with real sshd processes on 127.0.0.204–205 (ports 2204–2205).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec } from "../../lib/ssh/exec";
import { SshPool } from "../../lib/ssh/pool";
import { probeHostKey } from "../../lib/ssh/probe";
import { estatePath, readEstate } from "./estate-file";
import { labSshTarget, labStatus, startHost, startLabHosts, stopHost, stopLabHosts } from "./hosts";
import { repoRoot } from "./paths";
import { isOurSshd } from "./processes";
import { ensureLabStateDir } from "./state-dir";
import type { LabHostSpec } from "./spec";

const runDir = path.join(repoRoot, "lab", ".run", "test-lab");
let specs: LabHostSpec[];
const pool = new SshPool();

beforeAll(async () => {
  const state = await ensureLabStateDir("t-lab-cluster");
  specs = [1, 2].map((i) => ({
    name: `t-lab${i}`,
    address: `127.0.0.${203 + i}`,
    port: 2203 + i,
    env: { KEEL_LAB_STATE: state, KEEL_LAB_HOST: `127.0.0.${203 + i}`, GCWARE_BASE: "/opt/gcware base" },
  }));
  await startLabHosts(specs, { runDir });
});

afterAll(async () => {
  pool.closeAll();
  await stopLabHosts(runDir);
});

async function run(name: string, argv: string[]) {
  const estate = (await readEstate(runDir))!;
  return exec(await labSshTarget(estate, name), argv, { timeoutMs: 5_000, pool });
}

describe("lab estate", () => {
  it("ensure-openssh.sh is idempotent once sshd is installed", () => {
    execFileSync("bash", [path.join(repoRoot, "lab", "ensure-openssh.sh")]);
    expect(existsSync("/run/sshd")).toBe(true);
  });

  it("records each host with the fingerprint ssh-keygen prints and the host actually presents", async () => {
    const estate = (await readEstate(runDir))!;
    expect(estate.hosts.map((h) => [h.name, h.user, h.address, h.port])).toEqual([
      ["t-lab1", "keel-t-lab1", "127.0.0.204", 2204],
      ["t-lab2", "keel-t-lab2", "127.0.0.205", 2205],
    ]);
    for (const h of estate.hosts) {
      const printed = execFileSync("ssh-keygen", ["-lf", `${h.hostKeyPath}.pub`]).toString().split(/\s+/)[1];
      expect(h.hostKeyFingerprint).toBe(printed);
      expect(await probeHostKey(h.address, h.port)).toMatchObject({ ok: true, hostKey: { fingerprint: printed } });
    }
    expect(existsSync(estate.clientKeyPath)).toBe(true);
  });

  it("starting a running estate reuses it", async () => {
    const before = (await readEstate(runDir))!;
    const again = await startLabHosts(specs, { runDir });
    expect(again.hosts.map((h) => h.pid)).toEqual(before.hosts.map((h) => h.pid));
  });

  it("gives each host its own user, a clean home, bash, its env and the simulators first on PATH", async () => {
    const estate = (await readEstate(runDir))!;
    const result = await run("t-lab1", ["sh", "-c", 'id -un; echo "$SHELL"; echo "$PATH"; echo "$KEEL_LAB_HOST"; echo "$GCWARE_BASE"; ls -A "$HOME"']);
    expect(result.ok).toBe(true);
    const [user, shell, pathVar, host, base, ...homeEntries] = (result.ok ? result.stdout : "").trim().split("\n");
    expect(user).toBe("keel-t-lab1");
    expect(shell).toBe("/bin/bash");
    expect(pathVar?.split(":")[0]).toBe(estate.binDir);
    expect(host).toBe("127.0.0.204");
    expect(base).toBe("/opt/gcware base");
    expect(homeEntries).toEqual([".ssh"]);
  });

  it("lets every lab user of a cluster write the shared state dir", async () => {
    const file = `${specs[0]!.env!.KEEL_LAB_STATE}/shared-${process.pid}`;
    expect((await run("t-lab1", ["sh", "-c", 'umask 002; echo one > "$1"', "sh", file])).ok).toBe(true);
    expect((await run("t-lab2", ["sh", "-c", 'echo two >> "$1"; cat "$1"', "sh", file])).ok).toBe(true);
    expect((await run("t-lab2", ["cat", file]))).toMatchObject({ ok: true, stdout: "one\ntwo\n" });
    execFileSync("rm", ["-f", file]);
  });

  it("stop-host takes a host down and start-host brings it back", async () => {
    await stopHost("t-lab2", { runDir });
    expect((await labStatus(runDir))!.map((h) => h.up)).toEqual([true, false]);
    const down = await run("t-lab2", ["true"]);
    expect(!down.ok && down.error.kind).toBe("unreachable");
    await startHost("t-lab2", { runDir });
    expect((await labStatus(runDir))!.map((h) => h.up)).toEqual([true, true]);
    expect((await run("t-lab2", ["true"])).ok).toBe(true);
  });

  it("restarts only the host whose spec changed", async () => {
    const before = (await readEstate(runDir))!;
    specs[1] = { ...specs[1]!, env: { ...specs[1]!.env, EXTRA: "changed" } };
    const after = await startLabHosts(specs, { runDir });
    expect(after.hosts[0]!.pid).toBe(before.hosts[0]!.pid);
    expect(after.hosts[1]!.pid).not.toBe(before.hosts[1]!.pid);
    expect(await run("t-lab2", ["printenv", "EXTRA"])).toMatchObject({ ok: true, stdout: "changed\n" });
  });

  it("stop kills every sshd and removes the estate file", async () => {
    const estate = (await readEstate(runDir))!;
    await stopLabHosts(runDir);
    for (const h of estate.hosts) expect(isOurSshd(h.pid, h.configPath)).toBe(false);
    expect(existsSync(estatePath(runDir))).toBe(false);
    await startLabHosts(specs, { runDir }); // afterAll stops it again
  });
});
