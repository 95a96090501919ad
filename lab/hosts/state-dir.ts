import { chmod, chown, mkdir } from "node:fs/promises";
import path from "node:path";
import { labGroup, sharedRoot } from "./paths";
import { runOrThrow } from "./run-command";
import { ensureLabGroup } from "./users";

// A per-cluster directory for KEEL_LAB_STATE that every lab user of the cluster can write: owned by
// root:keel-lab, setgid so new files stay in the group. sshd forces a umask of at least 022 on its
// sessions (measured), so a simulator that shares files across hosts must call process.umask(0o002)
// itself for those files to be group-writable.
export async function ensureLabStateDir(cluster: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(cluster)) throw new Error(`bad cluster state name: ${cluster}`);
  await ensureLabGroup();
  const gid = Number((await runOrThrow("getent", ["group", labGroup])).split(":")[2]);
  const dir = path.join(sharedRoot, "state", cluster);
  await mkdir(dir, { recursive: true });
  for (const d of [sharedRoot, path.join(sharedRoot, "state")]) await chmod(d, 0o755);
  await chown(dir, 0, gid);
  await chmod(dir, 0o2775);
  return dir;
}
