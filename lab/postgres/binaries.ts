// The bin directory a lab server runs from. PostgreSQL 15 is Debian's; PostgreSQL 11 is assembled
// (lab/estate/definition.ts explains which programs come from where) as symlinks, rebuilt each time
// so a reinstalled package is picked up.
import { existsSync } from "node:fs";
import { chmod, mkdir, rename, rm, symlink } from "node:fs/promises";
import path from "node:path";

import { PG11_BIN, PG11_CLIENT_TOOLS_FROM_15, PG11_NATIVE_BIN, PG11_SERVER_TOOLS, PG_BIN } from "../estate/definition";

export async function ensureBinaries(bin: string, major: string): Promise<void> {
  if (bin !== PG11_BIN) {
    if (!existsSync(path.join(bin, "postgres"))) throw new Error(`PostgreSQL ${major}: no postgres in ${bin}`);
    return;
  }
  if (!existsSync(path.join(PG11_NATIVE_BIN, "postgres"))) throw new Error(`PostgreSQL 11: ${PG11_NATIVE_BIN}/postgres is missing (npm install installs the pg-embedded-11 alias)`);
  await mkdir(bin, { recursive: true });
  await chmod(bin, 0o755);
  const links: [string, string][] = [
    ...PG11_SERVER_TOOLS.map((t): [string, string] => [t, path.join(PG11_NATIVE_BIN, t)]),
    ...PG11_CLIENT_TOOLS_FROM_15.map((t): [string, string] => [t, path.join(PG_BIN, t)]),
  ];
  for (const [name, target] of links) {
    // Made under a unique name and renamed over the old link: two lab starts at once both succeed.
    const temp = path.join(bin, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    await rm(temp, { force: true });
    await symlink(target, temp);
    await rename(temp, path.join(bin, name));
  }
}
