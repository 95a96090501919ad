// Import a cluster's groups and nodes from its own status output: preview (read, compare, write
// nothing but the audited command) and apply (read again; create only what the person confirmed).
import { z } from "zod";
import { defineAction, ok, toActor } from "@/lib/api/action";
import { fail, invalidField, notFound, type Result } from "@/lib/api/errors";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { ENGINE_SPECS, type EngineName } from "../engines";
import { idField } from "../fields";
import { diffPlan, nameChanges, type ImportDiff } from "./diff";
import { loadClusterInventory } from "./load-inventory";
import { readImportSource } from "./read-source";
import { importSourceOf } from "./source";
import type { ImportPlan } from "./types";

const target = z.object({ clusterId: idField, hostId: idField });

export type ImportSourceInfo = { argv: string[]; hostId: string; hostName: string };

export type ImportPreview = {
  source: ImportSourceInfo;
  plan: ImportPlan;
  diff: ImportDiff;
  /** Send back as applyImport's `expect`: every node name this preview showed. */
  expect: string[];
};

type SourceRead = {
  cluster: { id: string; name: string; engine: EngineName };
  source: ImportSourceInfo;
  plan: ImportPlan;
};

/** Cluster and host checked, then the one audited remote command — outside any transaction. */
async function readSource(actor: SessionUser, input: z.output<typeof target>, purpose: string): Promise<Result<SourceRead>> {
  const cluster = await db.cluster.findUnique({ where: { id: input.clusterId }, select: { id: true, name: true, engine: true } });
  if (!cluster) return fail(notFound("This cluster"));
  const engine = cluster.engine as EngineName;
  const source = importSourceOf(engine);
  if (!source) {
    return fail(invalidField("clusterId", `Import is not offered for ${ENGINE_SPECS[engine].label} clusters: no status command lists their nodes. Add the nodes by hand.`));
  }
  const host = await db.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true } });
  if (!host) return fail(invalidField("hostId", "This host does not exist (it may have been deleted)."));
  const read = await readImportSource({ actor: toActor(actor), clusterId: cluster.id, clusterName: cluster.name, purpose }, host, source);
  if (!read.ok) return fail(invalidField("hostId", read.message));
  return ok({ cluster: { ...cluster, engine }, source: { argv: source.argv, hostId: host.id, hostName: host.name }, plan: read.plan });
}

export const previewImport = defineAction({
  name: "cluster.import_preview",
  permission: "inventory:write",
  input: target,
  remote: (actor, input) => readSource(actor, input, "import preview"),
  async run({ tx }, input, { cluster, source, plan }) {
    const inventory = await loadClusterInventory(tx, cluster.id);
    const preview: ImportPreview = { source, plan, diff: diffPlan(plan, inventory, input.hostId), expect: plan.nodes.map((n) => n.name) };
    return ok(preview);
  },
});

export type ImportApplied = {
  source: ImportSourceInfo;
  createdGroups: string[];
  createdNodes: { name: string; type: string; hostName: string }[];
  presentNodes: string[];
  /** Left exactly as they are in the inventory. */
  conflictingNodes: { name: string; differences: string[] }[];
  warnings: string[];
};

export const applyImport = defineAction({
  name: "cluster.import_apply",
  permission: "inventory:write",
  input: target.extend({
    expect: z.array(z.string().trim().min(1)).max(10_000),
    /** The host the person picked for a node Keel could not match by address (node name → host id). */
    hostFor: z.record(z.string(), idField).default({}),
  }),
  remote: (actor, input) => readSource(actor, input, "import"),
  async run(ctx, input, { cluster, source, plan }) {
    // The inventory is read inside the transaction that writes, so the diff is against what is there now.
    const inventory = await loadClusterInventory(ctx.tx, cluster.id);
    const changes = nameChanges(input.expect, plan.nodes.map((n) => n.name));
    if (changes.added.length > 0 || changes.removed.length > 0) {
      const parts = [
        changes.added.length ? `it now also lists ${changes.added.join(", ")}` : "",
        changes.removed.length ? `it no longer lists ${changes.removed.join(", ")}` : "",
      ].filter(Boolean);
      return fail({ code: "CONFLICT", message: `The status output changed since the preview: ${parts.join("; ")}. Nothing was imported; preview again.` });
    }
    const diff = diffPlan(plan, inventory, input.hostId);
    const hostsById = new Map(inventory.hosts.map((h) => [h.id, h]));
    const unknownPicks = Object.entries(input.hostFor).filter(([, id]) => !hostsById.has(id));
    if (unknownPicks.length > 0) {
      return fail({ code: "VALIDATION", message: "Some fields need attention.", fieldErrors: Object.fromEntries(unknownPicks.map(([name]) => [`hostFor.${name}`, ["this host does not exist"]])) });
    }
    const audited = { clusterId: cluster.id, clusterName: cluster.name };
    const from = { argv: source.argv, host: source.hostName };

    const groupIds = new Map(inventory.groupIds);
    for (const name of diff.createGroups) {
      const group = await ctx.tx.nodeGroup.create({ data: { clusterId: cluster.id, name } });
      groupIds.set(name, group.id);
      await ctx.audit({ action: "group.import", ...audited, payload: { group: name, source: from } });
    }

    const createdNodes: ImportApplied["createdNodes"] = [];
    for (const node of diff.createNodes) {
      const picked = input.hostFor[node.name];
      const hostId = picked ?? (node.host.matched ? node.host.hostId : input.hostId);
      const hostMatchedBy = picked ? "picked" : node.host.matched ? "address" : "source host";
      const host = hostsById.get(hostId);
      const groupId = node.group === null ? null : (groupIds.get(node.group) ?? null);
      const created = await ctx.tx.node.create({ data: { clusterId: cluster.id, hostId, groupId, name: node.name, type: node.type, role: node.role } });
      await ctx.audit({
        action: "node.import",
        ...audited,
        hostId,
        hostName: host?.name ?? "",
        nodeId: created.id,
        nodeName: node.name,
        payload: { type: node.type, role: node.role, group: node.group ?? "", hostMatchedBy, source: from },
      });
      createdNodes.push({ name: node.name, type: node.type, hostName: host?.name ?? "" });
    }

    const applied: ImportApplied = {
      source,
      createdGroups: diff.createGroups,
      createdNodes,
      presentNodes: diff.presentNodes.map((n) => n.name),
      conflictingNodes: diff.conflictingNodes.map((n) => ({ name: n.name, differences: n.differences })),
      warnings: diff.warnings,
    };
    return ok(applied);
  },
});
