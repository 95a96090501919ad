import { createHash } from "node:crypto";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
export const defaultRunDir = path.join(repoRoot, "lab", ".run");
// One key for Keel across every estate of this checkout, so a restarted lab keeps working with
// credentials already stored in Keel's database.
export const clientKeyDir = path.join(defaultRunDir, "client");
export const clientKeyPath = path.join(clientKeyDir, "id_ed25519");
export const buildBinDir = path.join(repoRoot, "lab", ".build", "bin");

// Things the lab users themselves must read or write (homes, authorized_keys, a copy of the
// simulators when the checkout is private) live outside the checkout: the repo may sit under a
// directory other users cannot traverse (e.g. /root). Keyed by a hash of the checkout path so two
// checkouts on one machine do not share homes.
export const sharedRoot = path.join("/var/lib/keel-lab", createHash("sha256").update(repoRoot).digest("hex").slice(0, 12));

export function hostRunDir(runDir: string, name: string): string {
  return path.join(runDir, name);
}

export function labUserName(hostName: string): string {
  return `keel-${hostName}`;
}

export const labGroup = "keel-lab";
