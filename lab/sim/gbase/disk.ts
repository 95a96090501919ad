// Projects a node's gcware model onto its real data directory, so `ls $GCWARE_BASE/data/gcware`
// over SSH shows SNAPSHOT.<term>.<index>[.s] directories and REDOLOG files of the modelled sizes.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GcwareNode } from "./state";

const META_FILES: Record<string, string> = {
  // Sizes match the seed's listing (49 and 40 bytes).
  "GCWARE_META.A": "gcware meta A: cluster=gbase8a version=9.5.2.0\n".padEnd(48, " ") + "\n",
  "GCWARE_META.B": "gcware meta B: vote=1 commit=0\n".padEnd(39, " ") + "\n",
};
const MANAGED = /^(?:SNAPSHOT\.\d+\.\d+(?:\.s)?|REDOLOG\.\d+)$/;

export const gcwareDataDir = (base: string): string => path.join(base, "data", "gcware");

function makeSnapshotDir(dir: string): void {
  // A snapshot holds one sub-directory, hence the link count 3 in the seed's `ll`.
  mkdirSync(path.join(dir, "statemachine"), { recursive: true });
  writeFileSync(path.join(dir, "statemachine", "state.dat"), "");
}

export function syncGcwareDir(node: GcwareNode): void {
  const dir = gcwareDataDir(node.base);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(META_FILES)) {
    if (!existsSync(path.join(dir, name))) writeFileSync(path.join(dir, name), content);
  }

  const finished = node.snapshots.map((s) => `SNAPSHOT.${s.term}.${s.index}`);
  const writing = [...node.abandonedFlushes, ...(node.pendingFlush ? [node.pendingFlush] : [])].map((s) => `SNAPSHOT.${s.term}.${s.index}.s`);
  const redologs = new Map(node.redologs.map((r) => [`REDOLOG.${r.index}`, r.sizeBytes]));
  const wanted = new Set([...finished, ...writing, ...redologs.keys()]);

  for (const name of finished) {
    const target = path.join(dir, name);
    if (existsSync(target)) continue;
    // A finished flush renames its `.s` directory, as the real gcware does.
    if (existsSync(`${target}.s`)) renameSync(`${target}.s`, target);
    else makeSnapshotDir(target);
  }
  for (const name of writing) {
    if (!existsSync(path.join(dir, name))) makeSnapshotDir(path.join(dir, name));
  }
  for (const [name, size] of redologs) {
    const file = path.join(dir, name);
    if (!existsSync(file)) writeFileSync(file, "");
    // Sparse: `ls -l` shows the modelled size without using the disk space.
    if (statSync(file).size !== size) truncateSync(file, size);
  }
  for (const name of readdirSync(dir)) {
    if (MANAGED.test(name) && !wanted.has(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
