// Brings a whole estate up or down: simulators built, sshd hosts, cluster state, real PostgreSQL.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildSimulators } from "../build-sims";
import { readEstate, type LabEstate } from "../hosts/estate-file";
import { labStatus, startLabHosts, stopLabHosts } from "../hosts/hosts";
import { repoRoot } from "../hosts/paths";
import type { LabHostSpec } from "../hosts/spec";
import { downPair, isInitialised, isRunning, upPair } from "../postgres/server";
import { estateDefinitionSchema, ESTATES, type EstateDefinition } from "./definition";
import { provisionCluster, writeShellProfiles } from "./provision";

export type UpOptions = { fresh?: boolean; build?: boolean; log?: (line: string) => void };
export type EstateRow = { host: string; address: string; user: string; cluster: string; runs: string; sshd: "up" | "DOWN"; postgres: "running" | "stopped" | "empty" | "" };

export const hostSpecs = (def: EstateDefinition): LabHostSpec[] => def.hosts.map((h) => ({ name: h.name, address: h.address, port: def.port, env: h.env }));

const snapshotPath = (runDir: string) => path.join(runDir, "definition.json");

/** The definition `up` last used for this run dir, so `down` and faults act on what really runs. */
export async function readSnapshot(runDir: string): Promise<EstateDefinition | null> {
  const file = snapshotPath(runDir);
  if (!existsSync(file)) return null;
  return estateDefinitionSchema.parse(JSON.parse(await readFile(file, "utf8")));
}

export async function upEstate(def: EstateDefinition, o: UpOptions = {}): Promise<LabEstate> {
  const log = o.log ?? (() => undefined);
  const previous = await readSnapshot(def.runDir);
  // sshd sessions force umask 022; this process writes shared cluster files and must leave them group-writable.
  process.umask(0o002);
  if (o.build !== false) {
    const t = performance.now();
    if (await simulatorsUpToDate()) log("simulators: up to date");
    else log(`simulators: ${(await buildSimulators()).length} built (${ms(t)})`);
  }
  if (previous && o.fresh) await downPostgres(previous);
  await mkdir(def.runDir, { recursive: true });
  await writeFile(snapshotPath(def.runDir), JSON.stringify(def, null, 2) + "\n");
  let t = performance.now();
  const estate = await startLabHosts(hostSpecs(def), { runDir: def.runDir });
  await writeShellProfiles(def, estate);
  log(`sshd: ${estate.hosts.length} hosts ready (${ms(t)})`);
  t = performance.now();
  const rebuilt: string[] = [];
  for (const c of def.clusters) if (await provisionCluster(def, c, { fresh: o.fresh })) rebuilt.push(c.name);
  log(`clusters: ${rebuilt.length ? `set up ${rebuilt.join(", ")}` : "all in place"} (${ms(t)})`);
  t = performance.now();
  const pairs = def.clusters.filter((c) => c.postgres.length > 0);
  const results = await Promise.all(pairs.map((c) => upPair(c.postgres, def.replicationPassword)));
  const failed = results.flatMap((r, i) => (r.ok ? [] : [`${pairs[i]!.name}: ${r.error}`]));
  if (failed.length) throw new Error(`PostgreSQL: ${failed.join("\n")}`);
  log(`postgres: ${pairs.map((c) => c.name).join(", ")} ready (${ms(t)})`);
  return estate;
}

async function downPostgres(def: EstateDefinition): Promise<string[]> {
  const results = await Promise.all(def.clusters.filter((c) => c.postgres.length > 0).map((c) => downPair(c.postgres)));
  return results.flatMap((r) => (r.ok ? [] : [r.error]));
}

/** Stops every PostgreSQL and sshd `up` started (per the last snapshot); cluster state stays on disk. */
export async function downEstate(runDir: string): Promise<string[]> {
  const def = await readSnapshot(runDir);
  const errors = def ? await downPostgres(def) : [];
  await stopLabHosts(runDir);
  if (errors.length === 0) await rm(snapshotPath(runDir), { force: true });
  return errors;
}

export async function estateRows(runDir: string): Promise<EstateRow[] | null> {
  const def = await readSnapshot(runDir);
  if (!def) return null;
  const hosts = (await labStatus(runDir)) ?? [];
  const servers = def.clusters.flatMap((c) => c.postgres);
  return Promise.all(
    def.hosts.map(async (h) => {
      const st = hosts.find((x) => x.name === h.name);
      const server = servers.find((s) => s.host === h.name);
      return {
        host: h.name,
        address: `${h.address}:${def.port}`,
        user: st?.user ?? "",
        cluster: h.cluster,
        runs: h.runs,
        sshd: st?.up ? "up" : "DOWN",
        postgres: !server ? "" : (await isRunning(server)) ? "running" : isInitialised(server) ? "stopped" : "empty",
      } satisfies EstateRow;
    }),
  );
}

export function renderRows(rows: readonly EstateRow[]): string {
  const head: EstateRow = { host: "HOST", address: "ADDRESS", user: "USER", cluster: "CLUSTER", runs: "RUNS", sshd: "SSHD" as "up", postgres: "PG" as "" };
  const cols: (keyof EstateRow)[] = ["host", "address", "user", "cluster", "sshd", "postgres", "runs"];
  const width = (k: keyof EstateRow) => Math.max(...[head, ...rows].map((r) => r[k].length));
  return [head, ...rows].map((r) => cols.map((k) => r[k].padEnd(width(k))).join("  ").trimEnd()).join("\n");
}

export function definitionByName(name: string): EstateDefinition {
  const make = ESTATES[name];
  if (!make) throw new Error(`no estate named ${name} (known: ${Object.keys(ESTATES).join(", ")})`);
  return make();
}

export { readEstate };

/** Every built tool newer than every source it may bundle (lab/sim and lib/engines, all the simulators import). */
async function simulatorsUpToDate(): Promise<boolean> {
  const built = path.join(repoRoot, "lab", ".build", "bin");
  const entries = existsSync(built) ? await readdir(built) : [];
  const sources = (await readdir(path.join(repoRoot, "lab", "sim", "bin"))).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  if (sources.some((f) => !entries.includes(f.replace(/\.ts$/, "")))) return false;
  const oldestBuild = Math.min(...(await Promise.all(entries.map(async (f) => (await stat(path.join(built, f))).mtimeMs))));
  return (await newestMtime([path.join(repoRoot, "lab", "sim"), path.join(repoRoot, "lib", "engines")])) < oldestBuild;
}

async function newestMtime(dirs: string[]): Promise<number> {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.parentPath.includes("generated")) continue;
      newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

const ms = (t: number) => `${Math.round(performance.now() - t)} ms`;
