import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderSystemSh } from "./system-sh";
import type { TopologyCluster, TopologyNode } from "./topology";

// Writes a node's $TB_HOME/config tip files as seed 001 §15.4 and seed 003 §5.3 show them, so a lab
// host (or a test) starts from the documented configuration.

export type TipOptions = {
  /** Redo thread / undo tablespace number of this instance (seed: 0 / UNDO0 for the first). */
  thread: number;
  cmUiPort?: number;
  /** Seed 003 §5.3 adds CM_ID as the first setting; omit to start from the pre-ProSync file. */
  cmId?: number;
  clusterDatabase?: string;
};

export function renderInstanceTip(cluster: TopologyCluster, node: TopologyNode, o: TipOptions): string {
  return [
    `DB_NAME=${cluster.service}`,
    "LISTENER_PORT=8629",
    "MEMORY_TARGET=6144M",
    "TOTAL_SHM_SIZE=4096M",
    "DB_CACHE_SIZE=2048M",
    `CLUSTER_DATABASE=${o.clusterDatabase ?? "Y"}`,
    `THREAD=${o.thread}`,
    `UNDO_TABLESPACE=UNDO${o.thread}`,
    `LOCAL_CLUSTER_ADDR=${node.network.address}`,
    "LOCAL_CLUSTER_PORT=12345",
    `CM_PORT=${o.cmUiPort ?? 8645}`,
    "",
  ].join("\n");
}

export function renderCmTip(tbHome: string, cluster: TopologyCluster, node: TopologyNode, o: TipOptions): string {
  return [
    `# tip file generated from ${tbHome}/config/cm.template`,
    "#-------------------------------------------------------------------------------",
    "#",
    "# Cluster Manager initialization parameter",
    "#",
    "#-------------------------------------------------------------------------------",
    ...(o.cmId !== undefined ? [`CM_ID=${o.cmId}`] : []),
    `CM_NAME=${node.cmName}`,
    `CM_UI_PORT=${o.cmUiPort ?? 8645}`,
    `CM_RESOURCE_FILE=${tbHome}/cmfile/${cluster.service}/${node.cmName}.res`,
    "",
    `CM_LOG_DEST=${tbHome}/instance/${node.sid}/log/cm`,
    `CM_GUARD_LOG_DEST=${tbHome}/instance/${node.sid}/log/cm/guard`,
    "",
  ].join("\n");
}

export async function provisionTiberoHome(tbHome: string, cluster: TopologyCluster, node: TopologyNode, o: TipOptions): Promise<void> {
  const config = path.join(tbHome, "config");
  await mkdir(config, { recursive: true });
  await writeFile(path.join(config, `${node.sid}.tip`), renderInstanceTip(cluster, node, o));
  await writeFile(path.join(config, `cm_${node.sid}.tip`), renderCmTip(tbHome, cluster, node, o));
  const scripts = path.join(tbHome, "scripts");
  await mkdir(scripts, { recursive: true });
  await writeFile(path.join(scripts, "system.sh"), renderSystemSh());
  await chmod(path.join(scripts, "system.sh"), 0o755);
}
