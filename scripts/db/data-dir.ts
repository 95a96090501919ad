import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, lstat, mkdir, readlink, realpath, symlink } from "node:fs/promises";
import path from "node:path";
import { chownToPostgres } from "./postgres-user";
import { isRoot, postgresUser, runPgCommand } from "./run-as-postgres";

const fallbackRoot = "/var/lib/keel";

async function postgresCanTraverse(dir: string): Promise<boolean> {
  return (await runPgCommand("test", ["-x", dir])).code === 0;
}

async function createOwnedDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (isRoot()) await chownToPostgres(dir);
  await chmod(dir, 0o700);
}

function fallbackDirFor(requested: string): string {
  const hash = createHash("sha256").update(requested).digest("hex").slice(0, 16);
  return path.join(fallbackRoot, hash, path.basename(requested));
}

/**
 * Returns the directory where the cluster's files really live, creating it
 * (owned by postgres, mode 700) when needed.
 *
 * When root runs us from a checkout the postgres user cannot traverse (the
 * usual case is a clone under /root, mode 700), the cluster goes to
 * /var/lib/keel/<hash of the requested path>/<name> and the requested path
 * becomes a symlink to it. We fall back instead of failing because "clone
 * anywhere as root, run set-up" must work without the user moving the repo or
 * loosening /root's permissions. The hash keeps clones apart.
 */
export async function prepareDataDir(requested: string): Promise<string> {
  const stat = await lstat(requested).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(requested), await readlink(requested));
    if (!existsSync(target)) await createOwnedDir(target);
    return realpath(target);
  }
  if (stat) {
    if (isRoot() && !(await postgresCanTraverse(requested))) {
      throw new Error(
        `the ${postgresUser} user cannot reach ${requested}; remove it so it can be recreated under ${fallbackRoot}`,
      );
    }
    return requested;
  }
  const parent = path.dirname(requested);
  await mkdir(parent, { recursive: true, mode: 0o755 });
  if (!isRoot() || (await postgresCanTraverse(parent))) {
    await createOwnedDir(requested);
    return requested;
  }
  const target = fallbackDirFor(requested);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  if (!existsSync(target)) await createOwnedDir(target);
  await symlink(target, requested);
  return target;
}
