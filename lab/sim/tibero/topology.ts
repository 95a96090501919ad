import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

// $KEEL_LAB_STATE/topology.json — the simulated estate. Optional; without it the seed's two-node TAC
// (cls_tibero: tibero1 on 172.19.0.11, tibero2 on 172.19.0.12) is used.

export const TopologyNodeSchema = z.object({
  /** Matched against $KEEL_LAB_HOST (either this or `host`). */
  name: z.string().min(1),
  /** The node's address; ProSync's AGENT_HOST must equal it for an agent to start there. */
  host: z.string().min(1),
  sid: z.string().min(1),
  cmName: z.string().min(1),
  network: z.object({ name: z.string().min(1), address: z.string().min(1), port: z.number().int().positive() }),
});
export type TopologyNode = z.infer<typeof TopologyNodeSchema>;

export const TopologyClusterSchema = z.object({
  name: z.string().min(1),
  /** The CM service resource name, also the DB name shown in the db resource detail. */
  service: z.string().min(1),
  nodes: z.array(TopologyNodeSchema).min(1),
});
export type TopologyCluster = z.infer<typeof TopologyClusterSchema>;

export const ProsyncInstanceSchema = z.object({
  instanceId: z.string().min(1),
  /** One agent preference list per extract process: the process runs on the first running agent. */
  ext: z.array(z.array(z.string().min(1)).min(1)),
  apply: z.array(z.string().min(1)).min(1),
  llob: z.array(z.string().min(1)),
});
export type ProsyncInstance = z.infer<typeof ProsyncInstanceSchema>;

export const TopologySchema = z.object({
  clusters: z.array(TopologyClusterSchema).min(1),
  /** The ProSync instance as prs_adm reports it until `prs_install.sh` records another. */
  prosyncInstance: ProsyncInstanceSchema.optional(),
});
export type Topology = z.infer<typeof TopologySchema>;

function node(i: number, host: string, port: number, prefix = "tibero"): TopologyNode {
  return {
    name: `${prefix}${i}`,
    host,
    sid: `${prefix}${i}`,
    cmName: `cm_${prefix}${i}`,
    network: { name: `inc${i}`, address: host, port },
  };
}

/** The seed's ProSync instance as prs_adm prints it (seed 003 §6). */
export const SEED_PROSYNC_INSTANCE: ProsyncInstance = {
  instanceId: "prosync",
  ext: [
    ["agent1", "agent2"],
    ["agent2", "agent1"],
  ],
  apply: ["agent3", "agent4"],
  llob: ["agent1", "agent2"],
};

/** Seed 003 §5.6: cls_tibero with cm_tibero1 (inc1 172.19.0.11/8640) and cm_tibero2 (inc2 172.19.0.12/8670). */
export function seedTopology(): Topology {
  return {
    clusters: [{ name: "cls_tibero", service: "tibero", nodes: [node(1, "172.19.0.11", 8640), node(2, "172.19.0.12", 8670)] }],
    prosyncInstance: SEED_PROSYNC_INSTANCE,
  };
}

/**
 * Seed 003's whole ProSync estate: the source TAC above plus a target TAC (tibero_tar) on 172.19.0.13/14
 * where agent3/agent4 (CM group CM2) live. The seed does not print the target's CM; its names are ours.
 */
export function seedProsyncTopology(): Topology {
  const base = seedTopology();
  return {
    ...base,
    clusters: [
      ...base.clusters,
      {
        name: "cls_tibero_tar",
        service: "tibero_tar",
        nodes: [node(1, "172.19.0.13", 8640, "tibero_tar"), node(2, "172.19.0.14", 8670, "tibero_tar")],
      },
    ],
  };
}

export async function loadTopology(stateDir: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, "topology.json"), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return seedTopology();
    throw e;
  }
  const file = path.join(stateDir, "topology.json");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`lab: ${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = TopologySchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`lab: invalid ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export type NodeRef = { cluster: TopologyCluster; node: TopologyNode };

export function allNodes(t: Topology): NodeRef[] {
  return t.clusters.flatMap((cluster) => cluster.nodes.map((n) => ({ cluster, node: n })));
}

/** A node by name, host, SID or CM name. */
export function findNode(t: Topology, ref: string): NodeRef | undefined {
  return allNodes(t).find(({ node: n }) => n.name === ref || n.host === ref || n.sid === ref || n.cmName === ref);
}
