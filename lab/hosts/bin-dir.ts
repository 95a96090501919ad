import { statSync } from "node:fs";
import { cp, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { buildBinDir, sharedRoot } from "./paths";

// Can a user that is neither owner nor group member reach `dir`? Every ancestor needs o+x.
export function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

// The simulators the lab users run. Used in place (so a rebuild is picked up at once) when the
// checkout is world-traversable; otherwise copied under sharedRoot at every estate start.
export async function exposeSimulatorBin(): Promise<string> {
  await mkdir(buildBinDir, { recursive: true });
  if (traversableByOthers(buildBinDir)) return buildBinDir;
  const copy = path.join(sharedRoot, "bin");
  await rm(copy, { recursive: true, force: true });
  await cp(buildBinDir, copy, { recursive: true });
  return copy;
}

export function labPath(binDir: string): string {
  const nodeDir = path.dirname(process.execPath);
  const dirs = [binDir, ...(traversableByOthers(nodeDir) ? [nodeDir] : []), "/usr/local/bin", "/usr/bin", "/bin"];
  return [...new Set(dirs)].join(":");
}
