import { spawn } from "node:child_process";
import { chmod, chown, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { labGroup } from "./paths";
import { runCommand, runOrThrow } from "./run-command";

export type LabUser = { name: string; uid: number; gid: number; home: string };

type PasswdEntry = { uid: number; gid: number; home: string; shell: string };

async function lookupUser(name: string): Promise<PasswdEntry | null> {
  const out = await runCommand("getent", ["passwd", name]);
  if (out.code !== 0) return null;
  const [, , uid, gid, , home, shell] = out.stdout.trim().split(":");
  return { uid: Number(uid), gid: Number(gid), home: home ?? "", shell: shell ?? "" };
}

// useradd/groupadd take a lock on /etc/passwd and fail at once if another test file (or engineer)
// holds it; retry until the deadline.
async function withPasswdLockRetry(done: () => Promise<boolean>, attempt: () => Promise<unknown>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let lastError = "";
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`could not ${what}: ${lastError}`);
    try {
      await attempt();
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
}

export async function ensureLabGroup(): Promise<void> {
  await withPasswdLockRetry(
    async () => (await runCommand("getent", ["group", labGroup])).code === 0,
    () => runOrThrow("groupadd", ["--system", labGroup]),
    `create group ${labGroup}`,
  );
}

// A system user with bash as shell, a password field of "*" (with UsePAM no, sshd treats "!" as a
// locked account and refuses even key logins), in the shared lab group, with a clean home: no
// start-up files, so every command measures the command and not somebody's .bashrc.
export async function ensureLabUser(name: string, home: string): Promise<LabUser> {
  await ensureLabGroup();
  await withPasswdLockRetry(
    async () => (await lookupUser(name)) !== null,
    () => runOrThrow("useradd", ["--system", "--no-create-home", "--home-dir", home, "--shell", "/bin/bash", "--gid", labGroup, "--password", "*", "--comment", "Keel lab host", name]),
    `create user ${name}`,
  );
  let entry = (await lookupUser(name))!;
  if (entry.home !== home || entry.shell !== "/bin/bash") {
    await withPasswdLockRetry(
      async () => {
        const e = await lookupUser(name);
        return e !== null && e.home === home && e.shell === "/bin/bash";
      },
      () => runOrThrow("usermod", ["--home", home, "--shell", "/bin/bash", name]),
      `move the home of ${name} to ${home}`,
    );
    entry = (await lookupUser(name))!;
  }
  await mkdir(home, { recursive: true });
  await chown(home, entry.uid, entry.gid);
  await chmod(home, 0o700);
  return { name, uid: entry.uid, gid: entry.gid, home };
}

export async function writeAuthorizedKeys(user: LabUser, publicKeyLine: string): Promise<string> {
  const sshDir = path.join(user.home, ".ssh");
  await mkdir(sshDir, { recursive: true });
  const file = path.join(sshDir, "authorized_keys");
  await writeFile(file, publicKeyLine.trim() + "\n", { mode: 0o600 });
  for (const p of [sshDir, file]) await chown(p, user.uid, user.gid);
  await chmod(sshDir, 0o700);
  await chmod(file, 0o600);
  return file;
}

// "*" (no password, but not locked) unless a host opts into password logins for tests.
export async function setLabUserPassword(name: string, password: string | null): Promise<void> {
  if (password === null) {
    const current = async () => (await runCommand("getent", ["shadow", name])).stdout.split(":")[1];
    await withPasswdLockRetry(async () => (await current()) === "*", () => runOrThrow("usermod", ["--password", "*", name]), `reset the password of ${name}`);
    return;
  }
  let done = false;
  await withPasswdLockRetry(async () => done, async () => {
    await chpasswd(name, password);
    done = true;
  }, `set the password of ${name}`);
}

function chpasswd(name: string, password: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn("chpasswd", [], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd failed for ${name}: ${stderr.trim()}`))));
    child.stdin.end(`${name}:${password}\n`);
  });
}
