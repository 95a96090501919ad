import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killNode, restartNode } from "../lab/faults/machbase";
import { buildSimulators } from "../lab/build-sims";
import { ensureLabStateDir, type LabEstate, startLabHosts, stopLabHosts } from "../lab/hosts/index";
import { db } from "@/lib/db";
import { seal } from "@/lib/crypto/secret-box";
import { defaultPool } from "@/lib/ssh";
import { healthHistory, latestHealthByCluster, latestState } from "@/lib/status/queries";
import { sampleCluster } from "@/lib/status/sample-cluster";
import { useTestDatabase } from "./db";

useTestDatabase();
const runDir = path.join(process.cwd(), "lab", ".run", "test-status");
const address = "127.0.0.214";
const TIME_SCALE = "0.01";
let estate: LabEstate;
let stateDir = "";
let clusterId = "";

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await buildSimulators();
  stateDir = await ensureLabStateDir(`test-status-${process.pid}`);
  writeFileSync(
    path.join(stateDir, "topology.json"),
    JSON.stringify({
      nodes: [
        { type: "coordinator", name: `${address}:5101` },
        { type: "deployer", name: `${address}:5201` },
        { type: "broker", name: `${address}:5301` },
        { type: "warehouse", name: `${address}:5401`, group: "group1" },
        { type: "warehouse", name: `${address}:5402`, group: "group1" },
      ],
    }),
  );
  estate = await startLabHosts(
    [{ name: "t-status1", address, port: 2214, env: { KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: address, KEEL_LAB_TIME_SCALE: TIME_SCALE } }],
    { runDir },
  );
  const credential = await db.credential.create({ data: { name: "lab", kind: "SSH_KEY", sealed: "pending" } });
  await db.credential.update({ where: { id: credential.id }, data: { sealed: seal(JSON.stringify({ secret: readFileSync(estate.clientKeyPath, "utf8"), passphrase: null }), credential.id) } });
  const host = await db.host.create({
    data: { name: "status1", address, sshPort: 2214, username: estate.hosts[0]!.user, credentialId: credential.id, hostKeyFingerprint: estate.hosts[0]!.hostKeyFingerprint },
  });
  const cluster = await db.cluster.create({ data: { name: "mach-status", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/home/machbase" } } });
  const group = await db.nodeGroup.create({ data: { clusterId: cluster.id, name: "group1" } });
  await db.node.create({ data: { clusterId: cluster.id, hostId: host.id, name: `${address}:5101`, type: "coordinator", role: "primary" } });
  await db.node.create({ data: { clusterId: cluster.id, hostId: host.id, name: `${address}:5401`, type: "warehouse", role: "normal", groupId: group.id } });
  clusterId = cluster.id;
});

afterAll(async () => {
  await defaultPool().closeAll();
  await stopLabHosts(runDir);
  rmSync(stateDir, { recursive: true, force: true });
});

describe("status sampling over real SSH against the Machbase simulator", () => {
  it("samples a healthy cluster, stores it, and audits each probe command", async () => {
    const observation = await sampleCluster(clusterId);
    expect(observation?.health).toBe("healthy");
    expect(observation?.nodes.map((n) => n.name)).toContain(`${address}:5402`);
    const latest = await latestState(clusterId);
    expect(latest?.health).toBe("healthy");
    const audited = await db.auditEvent.findMany({ where: { action: "ssh.exec", clusterName: "mach-status" } });
    expect(audited.map((a) => (a.payload as { argv: string[] }).argv[0])).toContain("machcoordinatoradmin");
    expect(audited.every((a) => a.actorEmail === "keel-prober")).toBe(true);
  });

  it("a killed warehouse turns the cluster degraded: node scrapped/**unknown** and its group readonly, flagged as mismatch", async () => {
    const killed = killNode(stateDir, `${address}:5401`, { env: { KEEL_LAB_TIME_SCALE: TIME_SCALE } });
    expect(killed.ok).toBe(true);
    const observation = await until(() => sampleCluster(clusterId), (o) => o?.health === "degraded", "degraded");
    const row = observation!.nodes.find((n) => n.name === `${address}:5401`)!;
    expect(row).toMatchObject({ desired: "scrapped", actual: "**unknown**", groupState: "readonly", mismatch: true });
    expect(observation!.reason).toContain(`${address}:5401`);
    const overview = await latestHealthByCluster();
    expect(overview.get(clusterId)).toMatchObject({ health: "degraded" });
    expect(overview.get(clusterId)!.up).toBeLessThan(overview.get(clusterId)!.total);
  });

  it("restarting it shows the seed's next state (scrapped/scrapped), and the 24 h history holds both states", async () => {
    expect(restartNode(stateDir, `${address}:5401`, { env: { KEEL_LAB_TIME_SCALE: TIME_SCALE } }).ok).toBe(true);
    const observation = await until(
      () => sampleCluster(clusterId),
      (o) => o?.nodes.find((n) => n.name === `${address}:5401`)?.actual === "scrapped",
      "scrapped/scrapped",
    );
    expect(observation!.nodes.find((n) => n.name === `${address}:5401`)).toMatchObject({ desired: "scrapped", actual: "scrapped" });
    const series = (await healthHistory()).get(clusterId)!;
    expect(series.filter((h) => h !== null).length).toBeGreaterThanOrEqual(1);
    expect(series.at(-1)).toBe("degraded");
  });

  it("an unreachable host is reported as the cluster being down, with the reason, not as a crash", async () => {
    await db.host.updateMany({ where: { name: "status1" }, data: { sshPort: 1 } });
    await defaultPool().closeAll();
    const observation = await sampleCluster(clusterId);
    expect(observation?.health).toBe("down");
    expect(JSON.stringify(observation?.errors)).toMatch(/Cannot reach|refused/);
  });
});
