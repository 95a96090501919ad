import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { clientKeyDir, clientKeyPath } from "./paths";
import { runOrThrow } from "./run-command";

export async function ensureHostKey(keyPath: string, comment: string): Promise<void> {
  if (existsSync(keyPath) && existsSync(`${keyPath}.pub`)) return;
  await mkdir(path.dirname(keyPath), { recursive: true });
  await rm(keyPath, { force: true });
  await rm(`${keyPath}.pub`, { force: true });
  await runOrThrow("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", keyPath]);
}

export async function regenerateHostKey(keyPath: string, comment: string): Promise<void> {
  await rm(keyPath, { force: true });
  await rm(`${keyPath}.pub`, { force: true });
  await ensureHostKey(keyPath, comment);
}

// `ssh-keygen -lf` prints "256 SHA256:xxxx comment (ED25519)"; the fingerprint is the second field.
export async function fingerprintOfKeyFile(publicKeyPath: string): Promise<string> {
  const out = await runOrThrow("ssh-keygen", ["-lf", publicKeyPath]);
  const fp = out.trim().split(/\s+/)[1];
  if (!fp?.startsWith("SHA256:")) throw new Error(`unexpected ssh-keygen -lf output: ${out}`);
  return fp;
}

// Generated in a scratch directory and renamed into place, so concurrent starters (parallel test
// files) agree on one key instead of overwriting each other's.
export async function ensureClientKey(): Promise<{ privateKeyPath: string; publicKeyLine: string }> {
  if (!existsSync(`${clientKeyPath}.pub`)) {
    await mkdir(path.dirname(clientKeyDir), { recursive: true });
    const scratch = await mkdtemp(`${clientKeyDir}.tmp-`);
    await runOrThrow("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "keel-lab-client", "-f", path.join(scratch, "id_ed25519")]);
    try {
      await rename(scratch, clientKeyDir);
    } catch {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return { privateKeyPath: clientKeyPath, publicKeyLine: (await readFile(`${clientKeyPath}.pub`, "utf8")).trim() };
}
