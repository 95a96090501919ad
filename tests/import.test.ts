import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSimulators } from "../lab/build-sims";
import { ensureLabStateDir, type LabEstate, startLabHosts, stopLabHosts } from "../lab/hosts/index";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import type { ImportApplied, ImportPreview } from "@/lib/inventory/import/import-actions";
import { applyImport, previewImport } from "@/lib/inventory/import/import-actions";
import { defaultPool } from "@/lib/ssh";
import { useTestDatabase } from "./db";
import { signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();
const runDir = path.join(process.cwd(), "lab", ".run", "test-import");
const address = "127.0.0.215";
const TIME_SCALE = "0.01";
let estate: LabEstate;
let stateDir = "";
let dba = "";
let ids: { clusterId: string; hostId: string; spareId: string; pgClusterId: string };

// Two nodes live at addresses no lab host has: one the person assigns, one left to the default host.
const DEPLOYER = "10.255.0.1:5201";
const BROKER = "10.255.0.2:5301";
const TOPOLOGY = [
  { type: "coordinator", name: `${address}:5101` },
  { type: "deployer", name: DEPLOYER },
  { type: "broker", name: BROKER },
  { type: "warehouse", name: `${address}:5401`, group: "group1" },
  { type: "warehouse", name: `${address}:5402`, group: "group1" },
];

function writeTopology(nodes: readonly object[]): void {
  writeFileSync(path.join(stateDir, "topology.json"), JSON.stringify({ nodes }));
  // The simulator builds its state from topology.json only when it has none yet.
  rmSync(path.join(stateDir, "state.json"), { force: true });
}

beforeAll(async () => {
  await buildSimulators({ tools: ["machcoordinatoradmin"] });
  stateDir = await ensureLabStateDir(`test-import-${process.pid}`);
  writeTopology(TOPOLOGY);
  estate = await startLabHosts(
    [{ name: "t-import1", address, port: 2215, env: { KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: address, KEEL_LAB_TIME_SCALE: TIME_SCALE } }],
    { runDir },
  );
  dba = (await signedInAs("DBA")).cookie;
  const credential = await db.credential.create({ data: { name: "lab", kind: "SSH_KEY", sealed: "pending" } });
  await db.credential.update({
    where: { id: credential.id },
    data: { sealed: seal(JSON.stringify({ secret: readFileSync(estate.clientKeyPath, "utf8"), passphrase: null }), credential.id) },
  });
  const host = await db.host.create({
    data: { name: "import1", address, sshPort: 2215, username: estate.hosts[0]!.user, credentialId: credential.id, hostKeyFingerprint: estate.hosts[0]!.hostKeyFingerprint },
  });
  // Never contacted: only a place the person can put a node Keel could not match.
  const spare = await db.host.create({ data: { name: "spare", address: "10.255.9.9", sshPort: 22, username: "machbase" } });
  const cluster = await db.cluster.create({ data: { name: "mach-import", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/home/machbase" } } });
  const pg = await db.cluster.create({ data: { name: "pg-import", engine: "POSTGRESQL", version: "15", settings: { PGDATA: "/var/lib/postgresql/data" } } });
  ids = { clusterId: cluster.id, hostId: host.id, spareId: spare.id, pgClusterId: pg.id };
});

afterAll(async () => {
  await defaultPool().closeAll();
  await stopLabHosts(runDir);
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function inventoryCounts() {
  const [groups, nodes, imports] = await Promise.all([
    db.nodeGroup.count({ where: { clusterId: ids.clusterId } }),
    db.node.count({ where: { clusterId: ids.clusterId } }),
    db.auditEvent.count({ where: { action: { in: ["node.import", "group.import"] } } }),
  ]);
  return { groups, nodes, imports };
}

async function preview(): Promise<ImportPreview> {
  const res = await callAction(previewImport, dba, { clusterId: ids.clusterId, hostId: ids.hostId });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data as ImportPreview;
}

describe("import of groups and nodes from the Machbase status table, over real SSH", () => {
  let seen: string[] = [];

  it("preview lists the 5 nodes and 1 group, matches hosts by address, and writes nothing but the audited command", async () => {
    const before = await inventoryCounts();
    const execsBefore = await db.auditEvent.count({ where: { action: "ssh.exec", clusterName: "mach-import" } });
    const p = await preview();
    expect(p.source).toEqual({ argv: ["machcoordinatoradmin", "--cluster-status-full"], hostId: ids.hostId, hostName: "import1" });
    expect(p.plan.groups).toEqual(["group1"]);
    expect(p.plan.nodes.map((n) => [n.type, n.name, n.role, n.group])).toEqual([
      ["coordinator", `${address}:5101`, "primary", null],
      ["deployer", DEPLOYER, "normal", null],
      ["broker", BROKER, "leader", null],
      ["warehouse", `${address}:5401`, "normal", "group1"],
      ["warehouse", `${address}:5402`, "normal", "group1"],
    ]);
    expect(p.diff.createGroups).toEqual(["group1"]);
    expect(p.diff.createNodes.filter((n) => n.host.matched).map((n) => n.name)).toEqual([`${address}:5101`, `${address}:5401`, `${address}:5402`]);
    expect(p.diff.needsHost).toEqual([DEPLOYER, BROKER]);
    expect(p.expect).toHaveLength(5);
    seen = p.expect;

    expect(await inventoryCounts()).toEqual(before);
    const execs = await db.auditEvent.findMany({ where: { action: "ssh.exec", clusterName: "mach-import" }, orderBy: { id: "asc" } });
    expect(execs).toHaveLength(execsBefore + 1);
    expect(execs.at(-1)!.payload).toMatchObject({ argv: ["machcoordinatoradmin", "--cluster-status-full"], purpose: "import preview", exitCode: 0 });
    expect(execs.at(-1)!.actorRole).toBe("DBA");
  });

  it("apply creates the group and the nodes: on the matched host, the picked host, else the host the command ran on; each audited", async () => {
    const res = await callAction(applyImport, dba, { clusterId: ids.clusterId, hostId: ids.hostId, expect: seen, hostFor: { [DEPLOYER]: ids.spareId } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const applied = res.json.data as ImportApplied;
    expect(applied.createdGroups).toEqual(["group1"]);
    expect(applied.createdNodes.map((n) => n.name)).toEqual(seen);

    const nodes = await db.node.findMany({ where: { clusterId: ids.clusterId }, include: { host: true, group: true }, orderBy: { name: "asc" } });
    expect(nodes.map((n) => [n.name, n.type, n.role, n.group?.name ?? null, n.host.name])).toEqual([
      ["10.255.0.1:5201", "deployer", "normal", null, "spare"],
      ["10.255.0.2:5301", "broker", "leader", null, "import1"],
      [`${address}:5101`, "coordinator", "primary", null, "import1"],
      [`${address}:5401`, "warehouse", "normal", "group1", "import1"],
      [`${address}:5402`, "warehouse", "normal", "group1", "import1"],
    ]);

    const audit = await db.auditEvent.findMany({ where: { action: { in: ["node.import", "group.import"] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.nodeName || (a.payload as { group: string }).group])).toEqual([
      ["group.import", "group1"],
      ...seen.map((name) => ["node.import", name]),
    ]);
    const source = { argv: ["machcoordinatoradmin", "--cluster-status-full"], host: "import1" };
    for (const a of audit) expect(a.payload).toMatchObject({ source });
    expect(audit.find((a) => a.nodeName === DEPLOYER)?.payload).toMatchObject({ hostMatchedBy: "picked" });
    expect(audit.find((a) => a.nodeName === BROKER)?.payload).toMatchObject({ hostMatchedBy: "source host" });
    expect(audit.find((a) => a.nodeName === `${address}:5101`)).toMatchObject({ hostName: "import1", payload: { hostMatchedBy: "address" } });
  });

  it("a second apply creates nothing; a node that disagrees with the output is reported and left alone", async () => {
    await db.node.update({ where: { clusterId_name: { clusterId: ids.clusterId, name: BROKER } }, data: { type: "deployer", role: "normal" } });
    const before = await inventoryCounts();
    const res = await callAction(applyImport, dba, { clusterId: ids.clusterId, hostId: ids.hostId, expect: seen });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const applied = res.json.data as ImportApplied;
    expect(applied.createdGroups).toEqual([]);
    expect(applied.createdNodes).toEqual([]);
    expect(applied.presentNodes).toHaveLength(4);
    expect(applied.conflictingNodes).toEqual([{ name: BROKER, differences: ["type: inventory deployer, output broker"] }]);
    expect(await inventoryCounts()).toEqual(before);
    expect(await db.node.findUniqueOrThrow({ where: { clusterId_name: { clusterId: ids.clusterId, name: BROKER } } })).toMatchObject({ type: "deployer", role: "normal" });
  });

  it("a topology that changed between preview and apply is refused with a CONFLICT naming the change", async () => {
    const p = await preview();
    writeTopology([...TOPOLOGY.filter((n) => n.name !== `${address}:5402`), { type: "warehouse", name: `${address}:5403`, group: "group2" }]);
    const before = await inventoryCounts();
    const res = await callAction(applyImport, dba, { clusterId: ids.clusterId, hostId: ids.hostId, expect: p.expect });
    expect(res.status).toBe(409);
    expect(res.json.error?.code).toBe("CONFLICT");
    expect(res.json.error?.message).toContain(`now also lists ${address}:5403`);
    expect(res.json.error?.message).toContain(`no longer lists ${address}:5402`);
    expect(await inventoryCounts()).toEqual(before);
    expect(await db.nodeGroup.count({ where: { clusterId: ids.clusterId, name: "group2" } })).toBe(0);
  });

  it("is not offered for PostgreSQL (VALIDATION), and refuses a LEAD (403)", async () => {
    const pg = await callAction(previewImport, dba, { clusterId: ids.pgClusterId, hostId: ids.hostId });
    expect(pg.status).toBe(400);
    expect(pg.json.error?.code).toBe("VALIDATION");
    expect(pg.json.error?.message).toMatch(/Import is not offered for PostgreSQL/);
    const lead = (await signedInAs("LEAD")).cookie;
    const refused = await callAction(applyImport, lead, { clusterId: ids.clusterId, hostId: ids.hostId, expect: [] });
    expect(refused.status).toBe(403);
  });

  it("a host Keel cannot run the command on is an error naming the command and the host", async () => {
    const res = await callAction(previewImport, dba, { clusterId: ids.clusterId, hostId: ids.spareId });
    expect(res.status).toBe(400);
    expect(res.json.error?.fieldErrors?.hostId?.[0]).toMatch(/machcoordinatoradmin --cluster-status-full on spare/);
  });
});
