// Initial cluster: the seed's topology, or KEEL_LAB_STATE/topology.json when present.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as z from "zod/mini";
import { KNOWN_NODE_TYPES } from "../../../lib/engines/machbase/vocabulary";
import { NodeRoleSchema, type ClusterState, type SimNode } from "./model";

export const DEFAULT_RELEASE = "321a012d05.develop";
export const DEFAULT_PACKAGE = "machbase";

export const TopologySchema = z.object({
  release: z._default(z.string().check(z.minLength(1)), DEFAULT_RELEASE),
  packageName: z._default(z.string().check(z.minLength(1)), DEFAULT_PACKAGE),
  snapshotIntervalSec: z._default(z.int().check(z.minimum(0)), 60),
  nodes: z
    .array(
      z.object({
        type: z.enum(KNOWN_NODE_TYPES),
        name: z.string().check(z.regex(/^[^\s|:]+:\d{1,5}$/, "node name must be host:port")),
        /** Required for warehouses (group1, group2, …); other types default to their type's group. */
        group: z.optional(z.string().check(z.regex(/^[^\s|]+$/))),
        /** Defaults: first coordinator primary, first broker leader, everything else normal. */
        role: z.optional(NodeRoleSchema),
        homePath: z.optional(z.string()),
      }),
    )
    .check(z.minLength(1)),
});
export type Topology = z.output<typeof TopologySchema>;

const SEED_TOPOLOGY: Topology = {
  release: DEFAULT_RELEASE,
  packageName: DEFAULT_PACKAGE,
  snapshotIntervalSec: 60,
  nodes: [
    { type: "coordinator", name: "localhost:30110" },
    { type: "coordinator", name: "localhost:30120" },
    { type: "deployer", name: "localhost:30210" },
    { type: "broker", name: "localhost:30310" },
    { type: "broker", name: "localhost:30320" },
    { type: "warehouse", name: "localhost:30410", group: "group1" },
    { type: "warehouse", name: "localhost:30420", group: "group1" },
    { type: "warehouse", name: "localhost:30510", group: "group2" },
    { type: "warehouse", name: "localhost:30520", group: "group2" },
  ],
};

const TYPE_GROUPS = { coordinator: "Coordinator", deployer: "Deployer", broker: "Broker" } as const;

export function packageFileName(release: string): string {
  return `machbase-ent-${release}-LINUX-X86-64-release-lightweight.tgz`;
}

export type TopologyResult = { ok: true; topology: Topology } | { ok: false; message: string };

export function readTopology(stateDir: string): TopologyResult {
  const file = path.join(stateDir, "topology.json");
  if (!existsSync(file)) return { ok: true, topology: SEED_TOPOLOGY };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, message: `topology.json is not JSON (${String(error)})` };
  }
  const parsed = TopologySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `topology.json is invalid: ${z.prettifyError(parsed.error)}` };
  const warehouseWithoutGroup = parsed.data.nodes.find((n) => n.type === "warehouse" && !n.group);
  if (warehouseWithoutGroup) return { ok: false, message: `warehouse ${warehouseWithoutGroup.name} needs a group` };
  return { ok: true, topology: parsed.data };
}

export function initialState(topology: Topology, now: number): ClusterState {
  const seen = new Set<string>();
  const nodes: SimNode[] = topology.nodes.map((spec) => {
    const firstOfType = !seen.has(spec.type);
    seen.add(spec.type);
    const role =
      spec.role ??
      ((spec.type === "coordinator" && firstOfType ? "primary" : spec.type === "broker" && firstOfType ? "leader" : "normal") as
        | "primary"
        | "leader"
        | "normal");
    const group = spec.type === "warehouse" ? (spec.group ?? "group1") : (spec.group ?? TYPE_GROUPS[spec.type]);
    const managed = spec.type === "broker" || spec.type === "warehouse";
    return {
      name: spec.name,
      type: spec.type,
      group,
      role,
      desired: role,
      actual: role,
      rp: "none",
      process: "running",
      packageName: managed ? topology.packageName : null,
      release: topology.release,
      homePath: spec.homePath ?? `/home/machbase/${spec.type}_${spec.name.replace(/[^A-Za-z0-9]/g, "_")}`,
      snapshotRecovered: false,
    };
  });
  const groups = [...new Set(nodes.filter((n) => n.type === "warehouse").map((n) => n.group))];
  return {
    schemaVersion: 1,
    nodes,
    readonlyFlags: {},
    snapshotIntervalSec: topology.snapshotIntervalSec,
    lastAutoSnapshot: { at: now, groupIndex: 0 },
    snapshots: groups.map((group) => ({ group, at: now, trigger: "initial" as const })),
    packages: [{ name: topology.packageName, fileName: packageFileName(topology.release), fileSize: 64630670, release: topology.release }],
    ddl: null,
    events: [],
    updatedAt: now,
  };
}
