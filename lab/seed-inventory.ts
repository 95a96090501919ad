// Mirrors the lab estate into Keel's inventory: one SSH key credential, the hosts with their host keys
// pinned, the clusters with groups and nodes. Idempotent (upsert by name); every change is audited
// as SYSTEM in the transaction that makes it. A host whose key changed since it was pinned keeps its
// old pin (Keel must refuse it) and is reported.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { appendAudit } from "@/lib/audit/append";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { open, seal } from "@/lib/crypto/secret-box";
import { db, disconnectDb, type Tx } from "@/lib/db";
import { parsePrivateKey } from "@/lib/inventory/credentials/parse-private-key";
import { ENGINE_SPECS } from "@/lib/inventory/engines";
import type { EstateCluster, EstateDefinition } from "./estate/definition";
import { readEstate, type LabEstate } from "./hosts/estate-file";
import { isMainModule } from "../scripts/db/cli";

export const LAB_CREDENTIAL = "lab-ssh-key";
export const TRUSTED_BY = "lab set-up";

export type SeedInput = { definition: EstateDefinition; lab: LabEstate };
export type SeedReport = { changes: number; warnings: string[] };

const TX = { timeout: 30_000, maxWait: 30_000 };

export async function seedLabInventory(input: SeedInput): Promise<SeedReport> {
  const report: SeedReport = { changes: 0, warnings: [] };
  const credentialId = await upsertCredential(input.lab, report);
  const hostIds = new Map<string, string>();
  for (const h of input.definition.hosts) {
    const lab = input.lab.hosts.find((x) => x.name === h.name);
    if (!lab) {
      report.warnings.push(`${h.name}: not in the running lab (start it first); skipped`);
      continue;
    }
    hostIds.set(h.name, await upsertHost(lab, credentialId, report));
  }
  for (const c of input.definition.clusters) await upsertCluster(c, hostIds, report);
  return report;
}

async function upsertCredential(lab: LabEstate, report: SeedReport): Promise<string> {
  const secret = await readFile(lab.clientKeyPath, "utf8");
  const parsed = parsePrivateKey(secret, undefined);
  if (!parsed.ok) throw new Error(`lab client key ${lab.clientKeyPath}: ${parsed.message}`);
  return db.$transaction(async (tx) => {
    const existing = await tx.credential.findUnique({ where: { name: LAB_CREDENTIAL } });
    const payload = JSON.stringify({ secret, passphrase: null });
    if (!existing) {
      const id = randomUUID();
      await tx.credential.create({ data: { id, name: LAB_CREDENTIAL, kind: "SSH_KEY", sealed: seal(payload, id), publicHint: parsed.hint } });
      await appendAudit(tx, SYSTEM_ACTOR, { action: "credential.create", payload: { credentialId: id, name: LAB_CREDENTIAL, kind: "SSH_KEY", publicHint: parsed.hint, source: TRUSTED_BY } });
      report.changes++;
      return id;
    }
    if (existing.kind !== "SSH_KEY" || existing.publicHint !== parsed.hint || !opensTo(existing.sealed, existing.id, payload)) {
      await tx.credential.update({ where: { id: existing.id }, data: { kind: "SSH_KEY", sealed: seal(payload, existing.id), publicHint: parsed.hint } });
      await appendAudit(tx, SYSTEM_ACTOR, { action: "credential.update", payload: { credentialId: existing.id, name: LAB_CREDENTIAL, secretReplaced: true, publicHint: parsed.hint, source: TRUSTED_BY } });
      report.changes++;
    }
    return existing.id;
  }, TX);
}

function opensTo(sealed: string, id: string, payload: string): boolean {
  try {
    return open(sealed, id) === payload;
  } catch {
    return false;
  }
}

async function upsertHost(lab: LabEstate["hosts"][number], credentialId: string, report: SeedReport): Promise<string> {
  return db.$transaction(async (tx) => {
    const want = { address: lab.address, sshPort: lab.port, username: lab.user, credentialId };
    const existing = await tx.host.findUnique({ where: { name: lab.name } });
    if (!existing) {
      const row = await tx.host.create({
        data: { name: lab.name, ...want, hostKeyFingerprint: lab.hostKeyFingerprint, hostKeyTrustedAt: new Date(), hostKeyTrustedBy: TRUSTED_BY },
      });
      await appendAudit(tx, SYSTEM_ACTOR, {
        action: "host.create",
        hostId: row.id,
        hostName: row.name,
        payload: { ...want, hostKeyFingerprint: lab.hostKeyFingerprint, hostKeyTrustedBy: TRUSTED_BY },
      });
      report.changes++;
      return row.id;
    }
    const changed = Object.fromEntries(Object.entries(want).filter(([k, v]) => existing[k as keyof typeof want] !== v));
    const pin = existing.hostKeyFingerprint === null ? { hostKeyFingerprint: lab.hostKeyFingerprint, hostKeyTrustedAt: new Date(), hostKeyTrustedBy: TRUSTED_BY } : {};
    if (existing.hostKeyFingerprint !== null && existing.hostKeyFingerprint !== lab.hostKeyFingerprint) {
      report.warnings.push(`${lab.name}: host key changed (pinned ${existing.hostKeyFingerprint}, now ${lab.hostKeyFingerprint}); pin left as it is — Keel will refuse this host until a DBA trusts the new key`);
    }
    if (Object.keys(changed).length === 0 && Object.keys(pin).length === 0) return existing.id;
    await tx.host.update({ where: { id: existing.id }, data: { ...changed, ...pin } });
    await appendAudit(tx, SYSTEM_ACTOR, {
      action: "host.update",
      hostId: existing.id,
      hostName: existing.name,
      payload: { ...changed, ...(pin.hostKeyFingerprint ? { hostKeyFingerprint: pin.hostKeyFingerprint, hostKeyTrustedBy: TRUSTED_BY } : {}), source: TRUSTED_BY },
    });
    report.changes++;
    return existing.id;
  }, TX);
}

export function validateCluster(c: EstateCluster): { version: string; settings: Record<string, unknown> } {
  const spec = ENGINE_SPECS[c.engine];
  for (const n of c.nodes) {
    const roles = spec.nodeTypes[n.type];
    if (!roles) throw new Error(`${c.name}: node type ${n.type} is not one of ${Object.keys(spec.nodeTypes).join(", ")}`);
    if (!roles.includes(n.role)) throw new Error(`${c.name}: role "${n.role}" not allowed for ${n.type}`);
    if (spec.groupedTypes.includes(n.type) !== (n.group !== undefined)) throw new Error(`${c.name}: ${n.name} group mismatch for type ${n.type}`);
    spec.nodeName.parse(n.name);
  }
  return { version: spec.version.parse(c.version), settings: spec.settings.parse(c.settings) as Record<string, unknown> };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
}

async function upsertCluster(c: EstateCluster, hostIds: Map<string, string>, report: SeedReport): Promise<void> {
  const { version, settings } = validateCluster(c);
  await db.$transaction(async (tx) => {
    let cluster = await tx.cluster.findUnique({ where: { name: c.name } });
    if (cluster && cluster.engine !== c.engine) {
      report.warnings.push(`${c.name}: exists with engine ${cluster.engine}, not ${c.engine}; left alone`);
      return;
    }
    if (!cluster) {
      cluster = await tx.cluster.create({ data: { name: c.name, engine: c.engine, version, settings: settings as object, description: c.description } });
      await appendAudit(tx, SYSTEM_ACTOR, { action: "cluster.create", clusterId: cluster.id, clusterName: c.name, payload: { engine: c.engine, version, settings, source: TRUSTED_BY } });
      report.changes++;
    } else if (cluster.version !== version || cluster.description !== c.description || !sameJson(cluster.settings, settings)) {
      cluster = await tx.cluster.update({ where: { id: cluster.id }, data: { version, settings: settings as object, description: c.description } });
      await appendAudit(tx, SYSTEM_ACTOR, { action: "cluster.update", clusterId: cluster.id, clusterName: c.name, payload: { version, settings, source: TRUSTED_BY } });
      report.changes++;
    }
    const groupIds = new Map<string, string>();
    for (const name of [...new Set(c.nodes.flatMap((n) => (n.group ? [n.group] : [])))]) groupIds.set(name, await upsertGroup(tx, cluster, name, report));
    for (const n of c.nodes) {
      const hostId = hostIds.get(n.host);
      if (!hostId) continue;
      await upsertNode(tx, cluster, { name: n.name, type: n.type, role: n.role, hostId, groupId: n.group ? groupIds.get(n.group)! : null }, report);
    }
  }, TX);
}

type ClusterRef = { id: string; name: string };

async function upsertGroup(tx: Tx, cluster: ClusterRef, name: string, report: SeedReport): Promise<string> {
  const existing = await tx.nodeGroup.findUnique({ where: { clusterId_name: { clusterId: cluster.id, name } } });
  if (existing) return existing.id;
  const row = await tx.nodeGroup.create({ data: { clusterId: cluster.id, name } });
  await appendAudit(tx, SYSTEM_ACTOR, { action: "group.create", clusterId: cluster.id, clusterName: cluster.name, payload: { groupId: row.id, name, source: TRUSTED_BY } });
  report.changes++;
  return row.id;
}

type NodeWant = { name: string; type: string; role: string; hostId: string; groupId: string | null };

async function upsertNode(tx: Tx, cluster: ClusterRef, want: NodeWant, report: SeedReport): Promise<void> {
  const existing = await tx.node.findUnique({ where: { clusterId_name: { clusterId: cluster.id, name: want.name } } });
  if (!existing) {
    const row = await tx.node.create({ data: { clusterId: cluster.id, ...want } });
    await appendAudit(tx, SYSTEM_ACTOR, { action: "node.create", clusterId: cluster.id, clusterName: cluster.name, nodeId: row.id, nodeName: row.name, hostId: want.hostId, payload: { ...want, source: TRUSTED_BY } });
    report.changes++;
    return;
  }
  // The role is only the initial one: fail-over procedures change it in Keel, and re-seeding must not undo that.
  const changed = Object.fromEntries(Object.entries(want).filter(([k, v]) => k !== "role" && existing[k as keyof NodeWant] !== v));
  if (Object.keys(changed).length === 0) return;
  await tx.node.update({ where: { id: existing.id }, data: changed });
  await appendAudit(tx, SYSTEM_ACTOR, { action: "node.update", clusterId: cluster.id, clusterName: cluster.name, nodeId: existing.id, nodeName: existing.name, hostId: want.hostId, payload: { ...changed, source: TRUSTED_BY } });
  report.changes++;
}

/** `npx tsx lab/seed-inventory.ts [RUN_DIR]`: seeds from the estate `up` last started there. */
async function main(args: string[]): Promise<number> {
  const { readSnapshot } = await import("./estate/estate");
  const { demoEstate } = await import("./estate/definition");
  const runDir = path.resolve(args[0] ?? demoEstate().runDir);
  const definition = await readSnapshot(runDir);
  const lab = await readEstate(runDir);
  if (!definition || !lab) {
    console.error(`no running estate in ${runDir}: run npx tsx lab/up.ts up`);
    return 1;
  }
  const report = await seedLabInventory({ definition, lab });
  for (const w of report.warnings) console.warn(`warning: ${w}`);
  console.log(`inventory: ${report.changes} change(s)`);
  return 0;
}

if (isMainModule(import.meta.url)) {
  main(process.argv.slice(2))
    .then(async (code) => {
      await disconnectDb();
      process.exit(code);
    })
    .catch(async (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      await disconnectDb();
      process.exit(1);
    });
}
