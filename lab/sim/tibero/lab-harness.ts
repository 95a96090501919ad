import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ToolResult } from "./context";
import { provisionTiberoHome } from "./provision";
import { TOOLS } from "./tools";
import { allNodes, type Topology, type TopologyNode } from "./topology";

// A throw-away simulated estate for tests: a state dir with topology.json and one TB_HOME per node.

export type Lab = {
  stateDir: string;
  root: string;
  topology: Topology;
  tbHome(node: string): string;
  prsHome(node: string): string;
  envFor(node: string): Record<string, string>;
  run(node: string, tool: string, argv: string[], opts?: { stdin?: string; cwd?: string; env?: Record<string, string>; at?: number }): Promise<ToolResult>;
};

export const TEST_TIME_SCALE = 0.01;

const created: string[] = [];

/** Removes every estate made by makeLab in this process. */
export async function disposeLabs(): Promise<void> {
  for (const root of created.splice(0)) await rm(root, { recursive: true, force: true });
}

export async function makeLab(topology: Topology, opts: { cmId?: boolean; timeScale?: number } = {}): Promise<Lab> {
  const root = await mkdtemp(path.join(os.tmpdir(), "keel-lab-tibero-"));
  const stateDir = path.join(root, "state");
  created.push(root);
  await mkdir(stateDir, { recursive: true });
  await writeFile(path.join(stateDir, "topology.json"), JSON.stringify(topology, null, 2));
  const nodes = new Map<string, TopologyNode>();
  for (const { cluster, node } of allNodes(topology)) {
    nodes.set(node.name, node);
    const thread = cluster.nodes.indexOf(node);
    await provisionTiberoHome(path.join(root, node.name, "tibero7"), cluster, node, { thread, ...(opts.cmId ? { cmId: thread } : {}) });
  }
  const scale = String(opts.timeScale ?? TEST_TIME_SCALE);
  const tbHome = (n: string) => path.join(root, n, "tibero7");
  const prsHome = (n: string) => path.join(root, n, "prosync");
  const envFor = (n: string): Record<string, string> => {
    const node = nodes.get(n);
    if (!node) throw new Error(`no node ${n}`);
    return { KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: node.host, KEEL_LAB_TIME_SCALE: scale, TB_HOME: tbHome(n), TB_SID: node.sid, PRS_HOME: prsHome(n) };
  };
  return {
    stateDir,
    root,
    topology,
    tbHome,
    prsHome,
    envFor,
    async run(n, tool, argv, o = {}) {
      const main = TOOLS[tool];
      if (!main) throw new Error(`no tool ${tool}`);
      return main({ argv, env: { ...envFor(n), ...o.env }, stdin: o.stdin ?? "", cwd: o.cwd ?? root, now: o.at ?? Date.now() });
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with the last observation. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000, describe = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
