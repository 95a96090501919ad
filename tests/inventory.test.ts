import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@/lib/api/registry";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { listCredentials } from "@/lib/inventory/queries";
import { useTestDatabase } from "./db";
import { ed25519PrivateKey, signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();
let dba = "";

beforeAll(async () => {
  dba = (await signedInAs("DBA")).cookie;
});

async function counts() {
  const [clusters, groups, nodes, hosts, credentials] = await Promise.all([db.cluster.count(), db.nodeGroup.count(), db.node.count(), db.host.count(), db.credential.count()]);
  return { clusters, groups, nodes, hosts, credentials };
}

describe("inventory through the API as a DBA", () => {
  it("builds a Machbase cluster with a credential, a host, a group and nodes, auditing each step", async () => {
    const key = ed25519PrivateKey();
    const cred = await callAction(ACTIONS.createCredential, dba, { name: "mach-key", kind: "SSH_KEY", secret: key });
    expect(cred.status, JSON.stringify(cred.json)).toBe(200);
    const credentialId = (cred.json.data as { id: string }).id;
    const host = await callAction(ACTIONS.createHost, dba, { name: "mach1", address: "192.168.0.10", sshPort: "22", username: "machbase", credentialId, runsMwaOrCollector: "on" });
    expect(host.status, JSON.stringify(host.json)).toBe(200);
    const hostId = (host.json.data as { id: string }).id;
    const cluster = await callAction(ACTIONS.createCluster, dba, { name: "mach-prod", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/home/machbase/coordinator", MACH_DEPLOYER_HOME: "" } });
    expect(cluster.status, JSON.stringify(cluster.json)).toBe(200);
    const clusterId = (cluster.json.data as { id: string }).id;
    const group = await callAction(ACTIONS.createGroup, dba, { clusterId, name: "group1" });
    const groupId = (group.json.data as { id: string }).id;
    const coordinator = await callAction(ACTIONS.createNode, dba, { clusterId, name: "192.168.0.10:5101", type: "coordinator", role: "primary", hostId });
    expect(coordinator.status, JSON.stringify(coordinator.json)).toBe(200);
    const warehouse = await callAction(ACTIONS.createNode, dba, { clusterId, name: "192.168.0.10:5301", type: "warehouse", role: "normal", hostId, groupId });
    expect(warehouse.status, JSON.stringify(warehouse.json)).toBe(200);

    const stored = await db.cluster.findUniqueOrThrow({ where: { id: clusterId }, include: { nodes: true } });
    expect(stored.settings).toEqual({ MACH_COORDINATOR_HOME: "/home/machbase/coordinator" });
    expect(stored.nodes.map((n) => n.name).sort()).toEqual(["192.168.0.10:5101", "192.168.0.10:5301"]);
    const actions = (await db.auditEvent.findMany({ where: { actorRole: "DBA", NOT: { action: "auth.sign_in" } }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["credential.create", "host.create", "cluster.create", "group.create", "node.create", "node.create"]);
  });

  it("keeps secrets sealed: not in the table, not in listings, not in the audit log", async () => {
    const res = await callAction(ACTIONS.createCredential, dba, { name: "pw", kind: "PASSWORD", secret: "Sup3r-Secret-Value" });
    const id = (res.json.data as { id: string }).id;
    const row = await db.credential.findUniqueOrThrow({ where: { id } });
    expect(row.sealed).not.toContain("Sup3r");
    expect(JSON.parse(open(row.sealed, id))).toEqual({ secret: "Sup3r-Secret-Value", passphrase: null });
    expect(JSON.stringify(await listCredentials())).not.toContain(row.sealed);
    const audit = await db.auditEvent.findMany();
    expect(JSON.stringify(audit.map((a) => a.payload))).not.toContain("Sup3r");
  });

  it("checks a key's passphrase with ssh2 before storing it", async () => {
    const key = ed25519PrivateKey("right-phrase");
    const none = await callAction(ACTIONS.createCredential, dba, { name: "enc", kind: "SSH_KEY", secret: key });
    expect(none.json.error?.fieldErrors?.passphrase?.[0]).toMatch(/encrypted/);
    const wrong = await callAction(ACTIONS.createCredential, dba, { name: "enc", kind: "SSH_KEY", secret: key, passphrase: "wrong" });
    expect(wrong.json.error?.fieldErrors?.passphrase?.[0]).toMatch(/does not open/);
    const garbage = await callAction(ACTIONS.createCredential, dba, { name: "enc", kind: "SSH_KEY", secret: "not a key" });
    expect(garbage.json.error?.fieldErrors?.secret?.[0]).toMatch(/not a private key/);
    const right = await callAction(ACTIONS.createCredential, dba, { name: "enc", kind: "SSH_KEY", secret: key, passphrase: "right-phrase" });
    expect(right.status).toBe(200);
    expect((await db.credential.findUniqueOrThrow({ where: { name: "enc" } })).publicHint).toMatch(/^ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$/);
  });

  describe("bad input: a specific message on the field, and the database unchanged", () => {
    const cases: [string, () => Promise<Awaited<ReturnType<typeof callAction>>>, string, RegExp, number][] = [
      ["duplicate cluster name", () => callAction(ACTIONS.createCluster, dba, { name: "mach-prod", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/x" } }), "name", /already exists/, 409],
      ["unknown engine", () => callAction(ACTIONS.createCluster, dba, { name: "x1", engine: "ORACLE", version: "1" }), "engine", /choose one of/, 400],
      ["cluster name with spaces", () => callAction(ACTIONS.createCluster, dba, { name: "my cluster", engine: "TIBERO", version: "7", settings: { TB_HOME: "/t", TB_SID: "tac1" } }), "name", /no spaces/, 400],
      ["relative engine home", () => callAction(ACTIONS.createCluster, dba, { name: "t1", engine: "TIBERO", version: "7", settings: { TB_HOME: "tibero", TB_SID: "tac1" } }), "settings.TB_HOME", /absolute path/, 400],
      ["setting of another engine", () => callAction(ACTIONS.createCluster, dba, { name: "t2", engine: "TIBERO", version: "7", settings: { TB_HOME: "/t", TB_SID: "tac1", PGDATA: "/p" } }), "settings.PGDATA", /not a Tibero/, 400],
      ["GBase version", () => callAction(ACTIONS.createCluster, dba, { name: "g1", engine: "GBASE", version: "9.5", settings: { GCWARE_BASE: "/g" } }), "version", /V952 or V953/, 400],
      ["bad port", () => callAction(ACTIONS.createHost, dba, { name: "h9", address: "10.0.0.9", sshPort: "70000", username: "u" }), "sshPort", /65535/, 400],
      ["bad address", () => callAction(ACTIONS.createHost, dba, { name: "h9", address: "10.0.0.300", username: "u" }), "address", /IPv4 address or a host name/, 400],
      ["duplicate host name", () => callAction(ACTIONS.createHost, dba, { name: "mach1", address: "10.0.0.9", username: "u" }), "name", /already exists/, 409],
      ["same address, port and user", () => callAction(ACTIONS.createHost, dba, { name: "other", address: "192.168.0.10", username: "machbase" }), "address", /already is machbase@192\.168\.0\.10:22/, 409],
    ];
    for (const [label, call, field, message, status] of cases) {
      it(label, async () => {
        const before = await counts();
        const res = await call();
        expect(res.status).toBe(status);
        expect(res.json.error?.fieldErrors?.[field]?.join(" ")).toMatch(message);
        expect(await counts()).toEqual(before);
      });
    }

    it("node name not host:port for Machbase, wrong type, missing group", async () => {
      const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "mach-prod" } });
      const host = await db.host.findUniqueOrThrow({ where: { name: "mach1" } });
      const before = await counts();
      const res = await callAction(ACTIONS.createNode, dba, { clusterId: cluster.id, name: "warehouse one", type: "warehouse", role: "normal", hostId: host.id });
      expect(res.status).toBe(400);
      expect(res.json.error?.fieldErrors?.name?.[0]).toMatch(/host:port/);
      expect(res.json.error?.fieldErrors?.groupId?.[0]).toMatch(/must belong to a group/);
      const typed = await callAction(ACTIONS.createNode, dba, { clusterId: cluster.id, name: "192.168.0.10:1", type: "gcware", hostId: host.id });
      expect(typed.json.error?.fieldErrors?.type?.[0]).toMatch(/coordinator, deployer, broker, warehouse/);
      const dup = await callAction(ACTIONS.createNode, dba, { clusterId: cluster.id, name: "192.168.0.10:5101", type: "coordinator", role: "primary", hostId: host.id });
      expect(dup.status).toBe(409);
      expect(dup.json.error?.fieldErrors?.name?.[0]).toMatch(/already has a node/);
      expect(await counts()).toEqual(before);
    });

    it("deleting a host still used by a node names the node", async () => {
      const host = await db.host.findUniqueOrThrow({ where: { name: "mach1" } });
      const before = await counts();
      const res = await callAction(ACTIONS.deleteHost, dba, { id: host.id });
      expect(res.status).toBe(409);
      expect(res.json.error?.message).toMatch(/still used by nodes 192\.168\.0\.10:5101 \(mach-prod\), 192\.168\.0\.10:5301 \(mach-prod\)/);
      expect(await counts()).toEqual(before);
    });

    it("deleting a credential still used by a host, a group with nodes, and a cluster without its name typed", async () => {
      const before = await counts();
      const cred = await db.credential.findUniqueOrThrow({ where: { name: "mach-key" } });
      expect((await callAction(ACTIONS.deleteCredential, dba, { id: cred.id })).json.error?.message).toMatch(/still used by host mach1/);
      const group = await db.nodeGroup.findFirstOrThrow({ where: { name: "group1" } });
      expect((await callAction(ACTIONS.deleteGroup, dba, { id: group.id })).json.error?.message).toMatch(/still holds 192\.168\.0\.10:5301/);
      const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "mach-prod" } });
      const del = await callAction(ACTIONS.deleteCluster, dba, { id: cluster.id, confirmName: "mach-pro" });
      expect(del.json.error?.fieldErrors?.confirmName?.[0]).toMatch(/Type the cluster's name \(mach-prod\)/);
      expect(await counts()).toEqual(before);
    });

    it("malformed JSON is a clear 400", async () => {
      const { route } = await import("@/lib/api/http");
      const res = await route(ACTIONS.createHost)(
        new Request("http://127.0.0.1:3000/api/v1/hosts", { method: "POST", headers: { "content-type": "application/json", cookie: dba }, body: "{oops" }),
        { params: Promise.resolve({}) },
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    });
  });

  it("moving a host to a new address clears its pinned key", async () => {
    const host = await db.host.findUniqueOrThrow({ where: { name: "mach1" } });
    await db.host.update({ where: { id: host.id }, data: { hostKeyFingerprint: "SHA256:abc", hostKeyTrustedAt: new Date() } });
    const same = await callAction(ACTIONS.updateHost, dba, { id: host.id, name: "mach1", address: host.address, sshPort: 22, username: "machbase", credentialId: host.credentialId });
    expect(same.status).toBe(200);
    expect((await db.host.findUniqueOrThrow({ where: { id: host.id } })).hostKeyFingerprint).toBe("SHA256:abc");
    await callAction(ACTIONS.updateHost, dba, { id: host.id, name: "mach1", address: "192.168.0.11", sshPort: 22, username: "machbase", credentialId: host.credentialId });
    expect((await db.host.findUniqueOrThrow({ where: { id: host.id } })).hostKeyFingerprint).toBeNull();
  });

  it("deletes a cluster with its nodes once its name is typed, and the audit keeps what was there", async () => {
    const cluster = await db.cluster.findUniqueOrThrow({ where: { name: "mach-prod" } });
    const res = await callAction(ACTIONS.deleteCluster, dba, { id: cluster.id, confirmName: "mach-prod" });
    expect(res.status).toBe(200);
    expect(await db.node.count({ where: { clusterId: cluster.id } })).toBe(0);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "cluster.delete" } });
    expect(event.clusterName).toBe("mach-prod");
    expect((event.payload as { nodes: string[] }).nodes.sort()).toEqual(["192.168.0.10:5101", "192.168.0.10:5301"]);
  });
});
