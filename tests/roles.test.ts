import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@/lib/api/registry";
import { can, ROLES, type Role } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { useTestDatabase } from "./db";
import { makeUser, signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();

async function inventorySnapshot() {
  const [clusters, groups, nodes, hosts, credentials, users, accounts] = await Promise.all([
    db.cluster.findMany({ orderBy: { id: "asc" } }),
    db.nodeGroup.findMany({ orderBy: { id: "asc" } }),
    db.node.findMany({ orderBy: { id: "asc" } }),
    db.host.findMany({ orderBy: { id: "asc" } }),
    db.credential.findMany({ orderBy: { id: "asc" } }),
    db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, role: true, disabled: true, name: true } }),
    db.account.findMany({ orderBy: { id: "asc" }, select: { id: true, password: true } }),
  ]);
  return { clusters, groups, nodes, hosts, credentials, users, accounts };
}

const cookies = {} as Record<Role, string>;
let target: { clusterId: string; hostId: string; credentialId: string; userId: string; groupId: string; nodeId: string };

beforeAll(async () => {
  for (const role of ROLES) cookies[role] = (await signedInAs(role)).cookie;
  const credential = await db.credential.create({ data: { name: "k", kind: "PASSWORD", sealed: "v1.x.y.z" } });
  // A closed loopback port: actions that contact the host fail fast and touch no other network.
  const host = await db.host.create({ data: { name: "h1", address: "127.0.0.1", sshPort: 1, username: "mach", credentialId: credential.id } });
  const cluster = await db.cluster.create({ data: { name: "c1", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/m" } } });
  const group = await db.nodeGroup.create({ data: { clusterId: cluster.id, name: "group1" } });
  const node = await db.node.create({ data: { clusterId: cluster.id, hostId: host.id, groupId: group.id, name: "10.0.0.1:5101", type: "warehouse" } });
  // User actions target a bystander, so resetting a password never signs out the roles under test.
  const user = await makeUser("LEAD");
  target = { clusterId: cluster.id, hostId: host.id, credentialId: credential.id, userId: user.id, groupId: group.id, nodeId: node.id };
});

/** A realistic body per action, so an allowed role reaches the action itself rather than a validation error. */
function bodyFor(name: string): Record<string, unknown> {
  const t = target;
  const bodies: Record<string, Record<string, unknown>> = {
    "cluster.create": { name: "new-c", engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/opt/m" } },
    "cluster.update": { id: t.clusterId, name: "c1", engine: "MACHBASE", version: "6.6", settings: { MACH_COORDINATOR_HOME: "/m" } },
    "cluster.delete": { id: t.clusterId, confirmName: "wrong" },
    "cluster.status_refresh": { id: t.clusterId },
    "cluster.import_preview": { clusterId: t.clusterId, hostId: t.hostId },
    "cluster.import_apply": { clusterId: t.clusterId, hostId: t.hostId, expect: [] },
    "group.create": { clusterId: t.clusterId, name: "group2" },
    "group.delete": { id: t.groupId },
    "node.create": { clusterId: t.clusterId, name: "10.0.0.1:5102", type: "broker", role: "leader", hostId: t.hostId },
    "node.update": { id: t.nodeId, clusterId: t.clusterId, name: "10.0.0.1:5101", type: "warehouse", role: "normal", hostId: t.hostId, groupId: t.groupId },
    "node.delete": { id: "00000000-0000-4000-8000-000000000000" },
    "host.create": { name: "h2", address: "10.0.0.2", username: "mach" },
    "host.update": { id: t.hostId, name: "h1", address: "127.0.0.1", sshPort: 1, username: "mach", credentialId: t.credentialId },
    "host.key_probe": { id: t.hostId },
    "host.key_trust": { id: t.hostId, fingerprint: `SHA256:${"A".repeat(43)}` },
    "host.test_connection": { id: t.hostId },
    "host.delete": { id: t.hostId },
    "credential.create": { name: "pw2", kind: "PASSWORD", secret: "s3cret-pass" },
    "credential.update": { id: t.credentialId, name: "k" },
    "credential.delete": { id: t.credentialId },
    "user.create": { email: "new@test.local", name: "New", role: "LEAD", password: "long-enough-pw" },
    "user.update": { id: t.userId, name: "Lee", role: "LEAD" },
    "user.reset_password": { id: t.userId, password: "another-long-pw" },
    "run.preview": { clusterId: t.clusterId, procedureId: "machbase.no-such-procedure", params: {} },
    "run.start": { clusterId: t.clusterId, procedureId: "machbase.no-such-procedure", params: {}, planDigest: "0".repeat(64) },
    "run.confirm": { runId: "00000000-0000-4000-8000-000000000000", stepIndex: 0 },
    "run.cancel": { runId: "00000000-0000-4000-8000-000000000000" },
    "run.decide": { runId: "00000000-0000-4000-8000-000000000000", decision: "abort" },
    "tools.tibero_tips_validate": { files: [{ fileName: "tac1.tip", text: "CLUSTER_DATABASE=Y\nTHREAD=0\n" }] },
    // A Machbase cluster: refused before any host is contacted.
    "tools.tibero_tips_read": { id: t.clusterId },
    "tools.prosync_config_generate": { agents: [], install: {} },
    "tools.prosync_config_validate": { files: [{ fileName: "prs_0.sh", text: "#!/bin/bash\n" }] },
  };
  const body = bodies[name];
  if (!body) throw new Error(`no test body for ${name}: add one when adding an action`);
  return body;
}

describe("every action as every role", () => {
  for (const action of Object.values(ACTIONS)) {
    for (const role of ROLES) {
      const allowed = can(role, action.permission);
      it(`${action.name} as ${role} is ${allowed ? "allowed" : "refused with 403 and changes nothing"}`, async () => {
        const before = await inventorySnapshot();
        const denialsBefore = await db.auditEvent.count({ where: { action: action.name, outcome: "denied" } });
        const res = await callAction(action as never, cookies[role], bodyFor(action.name));
        if (allowed) {
          expect(res.status, JSON.stringify(res.json)).not.toBe(403);
          expect(res.status).not.toBe(401);
        } else {
          expect(res.status).toBe(403);
          expect(res.json.error?.code).toBe("FORBIDDEN");
          expect(await inventorySnapshot()).toEqual(before);
          expect(await db.auditEvent.count({ where: { action: action.name, outcome: "denied" } })).toBe(denialsBefore + 1);
        }
      });
    }
  }

  it("refuses every action without a session (401) and changes nothing", async () => {
    const before = await inventorySnapshot();
    for (const action of Object.values(ACTIONS)) {
      const res = await callAction(action as never, "", bodyFor(action.name));
      expect(res.status, action.name).toBe(401);
    }
    expect(await inventorySnapshot()).toEqual(before);
  });

  it("refuses a forged cookie", async () => {
    const res = await callAction(ACTIONS.createCluster, "better-auth.session_token=forged.value", bodyFor("cluster.create"));
    expect(res.status).toBe(401);
  });
});
