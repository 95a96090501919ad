// The estate end to end on real sshd and real PostgreSQL: a small variant (Machbase on 2 hosts + a
// streaming pair on 127.0.0.150–153:2250, run dir lab/.run/test-estate) so a running demo is untouched.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { exec } from "@/lib/ssh/exec";
import { SshPool } from "@/lib/ssh/pool";
import type { SshTarget } from "@/lib/ssh/target";
import { rawSql, useTestDatabase } from "@/tests/db";
import type { LabEstate } from "../hosts/estate-file";
import { labSshTarget } from "../hosts/hosts";
import { repoRoot } from "../hosts/paths";
import { lookupAccount } from "../postgres/run-as";
import { seedLabInventory, TRUSTED_BY } from "../seed-inventory";
import { testEstate } from "./definition";
import { downEstate, upEstate } from "./estate";

const def = testEstate();
const database = useTestDatabase();
const pool = new SshPool({ connectTimeoutMs: 3_000 });
let lab: LabEstate;
let upMs = 0;

const run = async (host: string, argv: string[], target?: SshTarget) => exec(target ?? (await labSshTarget(lab, host)), argv, { timeoutMs: 15_000, pool });

function faultCli(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["lab/fault.ts", "--estate", "test", ...args], { cwd: repoRoot, encoding: "utf8" }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, out: stdout + stderr }),
    );
  });
}

async function pollOutput(host: string, argv: string[], done: (stdout: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await run(host, argv);
    const out = r.ok ? r.stdout : r.output.stdout;
    if (done(out)) return out;
    if (Date.now() > deadline) throw new Error(`timed out; last output:\n${out}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Processes whose command line mentions `needle` (sshd configs and PGDATA paths of this estate). */
function processesMentioning(needle: string): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Live processes running as any of the given uids (every session and backend of the estate's lab
 * users). Zombies are dead already; this machine's PID 1 reaps orphans late, so they are not counted.
 */
function processesOwnedBy(uids: readonly number[]): string[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .flatMap((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
        const state = /^State:\s+(\S)/m.exec(status)?.[1];
        return uids.includes(uid) && state !== "Z" ? [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")}`] : [];
      } catch {
        return [];
      }
    });
}

beforeAll(async () => {
  const t = performance.now();
  lab = await upEstate(def, { fresh: true, build: true });
  upMs = performance.now() - t;
}, 80_000);

afterAll(async () => {
  pool.closeAll();
  await downEstate(def.runDir);
});

describe("lab estate (test variant)", () => {
  it("runs the Machbase simulator over real SSH with the estate's addresses as node names", async () => {
    const r = await run("tmach2", ["machcoordinatoradmin", "--cluster-status-full"]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stdout).toContain("Machbase Coordinator Administration Tool");
    expect(r.stdout).toContain("Release Version - 321a012d05.develop");
    expect(r.stdout).toMatch(/\|\s+Node Type\s+\|\s+Node Name\s+\|/);
    const rows = r.stdout.split("\n").filter((l) => /^\| (coordinator|deployer|broker|warehouse) /.test(l));
    expect(rows).toHaveLength(9);
    expect(rows[0]).toMatch(/\| coordinator \| 127\.0\.0\.150:5101 \| Coordinator\s+\| normal\s+\| primary\s+\| primary\s+\|/);
    expect(rows.filter((l) => l.includes("group1"))).toHaveLength(2);
    // A second host's user writes the same cluster state (umask 002 via the lab profile).
    const other = await run("tmach1", ["sh", "-c", "umask; machcoordinatoradmin --cluster-node >/dev/null && echo written"]);
    expect(other.ok && other.stdout).toBe("0002\nwritten\n");
  });

  it("runs real PostgreSQL: the primary shows its standby streaming through the slot", async () => {
    const r = await run("tpg1", ["psql", "-Atc", "SELECT application_name, state FROM pg_stat_replication"]);
    expect(r.ok && r.stdout).toBe("tpg2|streaming\n");
    const slot = await run("tpg1", ["psql", "-Atc", "SELECT slot_name, active FROM pg_replication_slots"]);
    expect(slot.ok && slot.stdout).toBe("standby_tpg2|t\n");
    const standby = await run("tpg2", ["sh", "-c", 'psql -Atc "SELECT pg_is_in_recovery()" && "$PGBIN/pg_ctl" status >/dev/null && echo ctl-ok']);
    expect(standby.ok && standby.stdout).toBe("t\nctl-ok\n");
  });

  it("is idempotent and quick when already up", async () => {
    const t = performance.now();
    const again = await upEstate(def, { build: false });
    const warmMs = performance.now() - t;
    expect(again.hosts.map((h) => h.pid)).toEqual(lab.hosts.map((h) => h.pid));
    console.log(`estate up: cold ${Math.round(upMs)} ms, warm ${Math.round(warmMs)} ms`);
    expect(warmMs).toBeLessThan(5_000);
  });

  it("seeds Keel's inventory: pinned hosts, clusters, nodes, audit rows; a second run changes nothing", async () => {
    const first = await seedLabInventory({ definition: def, lab });
    expect(first.warnings).toEqual([]);
    const hosts = await db.host.findMany({ orderBy: { name: "asc" }, include: { credential: true } });
    expect(hosts.map((h) => [h.name, h.address, h.sshPort, h.username, h.hostKeyTrustedBy])).toEqual(
      lab.hosts.map((h) => [h.name, h.address, h.port, h.user, TRUSTED_BY]).sort(),
    );
    for (const h of hosts) expect(h.hostKeyFingerprint).toBe(lab.hosts.find((x) => x.name === h.name)?.hostKeyFingerprint);
    expect(hosts[0]?.credential?.kind).toBe("SSH_KEY");
    expect(hosts[0]?.credential?.publicHint).toMatch(/^ssh-ed25519 SHA256:/);
    const clusters = await db.cluster.findMany({ include: { nodes: true, groups: true }, orderBy: { name: "asc" } });
    expect(clusters.map((c) => [c.name, c.engine, c.version, c.nodes.length, c.groups.length])).toEqual([
      ["t-machbase", "MACHBASE", "6.5", 9, 2],
      ["t-pg", "POSTGRESQL", "15", 2, 0],
    ]);
    const pgNodes = clusters[1]!.nodes.map((n) => [n.name, n.type, n.role]).sort();
    expect(pgNodes).toEqual([["127.0.0.152:5432", "server", "primary"], ["127.0.0.153:5432", "server", "standby"]]);
    const audit = await rawSql<{ action: string; actor_email: string }>(database.url(), `SELECT action, "actorEmail" AS actor_email FROM audit_event ORDER BY id`);
    expect(audit.rows).toHaveLength(first.changes);
    expect(first.changes).toBe(1 + 4 + 2 + 2 + 11);
    expect(new Set(audit.rows.map((r) => r.actor_email))).toEqual(new Set(["system"]));

    const second = await seedLabInventory({ definition: def, lab });
    expect(second).toEqual({ changes: 0, warnings: [] });
    expect((await rawSql(database.url(), "SELECT 1 FROM audit_event")).rowCount).toBe(first.changes);
  });

  it("injects faults through lab/fault.ts: a killed warehouse turns scrapped, a changed host key is refused and not re-pinned", async () => {
    const killed = await faultCli("t-machbase", "kill-node", "127.0.0.151:5402");
    expect(killed).toMatchObject({ code: 0 });
    const after = await pollOutput("tmach1", ["machcoordinatoradmin", "--cluster-status-full"], (o) => o.includes("**unknown**"));
    expect(after).toMatch(/\| warehouse\s+\| 127\.0\.0\.151:5402 \| group1\s+\| readonly\s+\| scrapped\s+\| \*\*unknown\*\*\s+\|/);

    const oldTarget = await labSshTarget(lab, "tmach2");
    const changed = await faultCli("host-key-change", "tmach2");
    expect(changed.code).toBe(0);
    const refused = await run("tmach2", ["true"], oldTarget);
    expect(refused.ok ? "accepted" : refused.error.kind).toBe("host-key-mismatch");
    const { readEstate } = await import("../hosts/estate-file");
    const reseed = await seedLabInventory({ definition: def, lab: (await readEstate(def.runDir))! });
    expect(reseed.changes).toBe(0);
    expect(reseed.warnings.join("\n")).toMatch(/tmach2: host key changed/);
    expect((await db.host.findUnique({ where: { name: "tmach2" } }))?.hostKeyFingerprint).toBe(oldTarget.hostKeyFingerprint);

    const pgKill = await faultCli("pg-kill", "tpg2");
    expect(pgKill.out).toMatch(/postmaster \d+ killed/);
    await pollOutput("tpg1", ["psql", "-Atc", "SELECT count(*) FROM pg_stat_replication"], (o) => o === "0\n");
  }, 60_000);

  it("down stops every sshd and postgres it started", async () => {
    const homes = def.clusters.map((c) => c.homesDir);
    const uids = await Promise.all(lab.hosts.map(async (h) => (await lookupAccount(h.user)).uid));
    expect(processesOwnedBy(uids).length).toBeGreaterThan(0);
    expect(processesMentioning(def.runDir).length + homes.flatMap(processesMentioning).length).toBeGreaterThan(0);
    expect(await downEstate(def.runDir)).toEqual([]);
    expect(processesMentioning(def.runDir)).toEqual([]);
    expect(homes.flatMap(processesMentioning)).toEqual([]);
    expect(processesOwnedBy(uids)).toEqual([]);
    const rows = await import("./estate").then((m) => m.estateRows(def.runDir));
    expect(rows).toBeNull();
  });
});
