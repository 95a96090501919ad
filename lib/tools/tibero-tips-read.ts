import { z } from "zod";
import { defineAction, ok, toActor } from "@/lib/api/action";
import { fail, invalidField, notFound } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { cmUiPortFromTip, type Finding, type TipInput, validateClusterTips } from "@/lib/engines/tibero/validate-tips";
import { idField } from "@/lib/inventory/fields";
import { runOnHost } from "@/lib/remote/run-on-host";
import { TipOptionsSchema } from "./tibero-tips";

export const CM_TIP_SEPARATOR = "--- keel: cm tip ---";

/**
 * `$TB_HOME/config/<sid>.tip`, then the CM's `cm_<sid>.tip` (for CM_UI_PORT) when it exists. TB_HOME
 * is the host's own environment (each node may install elsewhere), else the cluster's setting ($1);
 * the SID is the instance node's name ($2). Both travel as arguments, never inside the script.
 */
const READ_SCRIPT = `home="\${TB_HOME:-$1}"; cat -- "$home/config/$2.tip" || exit; echo '${CM_TIP_SEPARATOR}'; cat -- "$home/config/cm_$2.tip" 2>/dev/null || true`;

export function tipReadArgv(clusterTbHome: string, sid: string): string[] {
  return ["sh", "-c", READ_SCRIPT, "keel-read-tips", clusterTbHome, sid];
}

export type TipRead = { node: string; host: string; fileName: string; read: boolean; cmUiPort: number | null; message: string };
export type ClusterTipCheck = { clusterName: string; files: TipRead[]; findings: Finding[] };

type NodeRow = { name: string; host: { id: string; name: string } };

async function readNode(actor: Parameters<typeof toActor>[0], cluster: { id: string; name: string; tbHome: string }, node: NodeRow): Promise<{ read: TipRead; input?: TipInput }> {
  const fileName = `${node.name}.tip`;
  const result = await runOnHost(
    { actor: toActor(actor), clusterId: cluster.id, clusterName: cluster.name, nodeName: node.name, purpose: "read tip file for validation" },
    node.host.id,
    tipReadArgv(cluster.tbHome, node.name),
    { timeoutMs: 20_000 },
  );
  const base = { node: node.name, host: node.host.name, fileName, cmUiPort: null };
  if (!result.ok) return { read: { ...base, read: false, message: result.message } };
  if (result.exitCode !== 0) return { read: { ...base, read: false, message: result.stderr.trim() || `cat exited ${result.exitCode}` } };
  const [tipText = "", cmText = ""] = result.stdout.split(`${CM_TIP_SEPARATOR}\n`);
  const cmUiPort = cmUiPortFromTip(cmText);
  return {
    read: { ...base, cmUiPort: cmUiPort ?? null, read: true, message: cmUiPort === undefined ? `no CM_UI_PORT in cm_${node.name}.tip: CM_PORT not compared` : "" },
    input: { fileName, text: tipText, host: node.host.name, ...(cmUiPort === undefined ? {} : { cmUiPort }) },
  };
}

/** Reads every instance's tip from its host (audited `cat`) and validates the set together. */
export const readClusterTipsAction = defineAction({
  name: "tools.tibero_tips_read",
  permission: "runs:operate",
  input: TipOptionsSchema.extend({ id: idField }),
  async remote(actor, { id, creating, maxInstances }) {
    const cluster = await db.cluster.findUnique({
      where: { id },
      include: { nodes: { where: { type: "instance" }, include: { host: { select: { id: true, name: true } } }, orderBy: { name: "asc" } } },
    });
    if (!cluster) return fail(notFound("This cluster"));
    if (cluster.engine !== "TIBERO") return fail(invalidField("id", `${cluster.name} is not a Tibero cluster`));
    if (cluster.nodes.length === 0) return fail(invalidField("id", `${cluster.name} has no instance nodes in the inventory`));
    const settings = z.object({ TB_HOME: z.string() }).safeParse(cluster.settings);
    const target = { id: cluster.id, name: cluster.name, tbHome: settings.success ? settings.data.TB_HOME : "" };
    const reads = await Promise.all(cluster.nodes.map((n) => readNode(actor, target, n)));
    const findings: Finding[] = reads
      .filter((r) => !r.read.read)
      .map((r) => ({ severity: "error", file: r.read.fileName, line: 0, key: "", message: `could not be read on ${r.read.host}: ${r.read.message}`, fix: `Check that $TB_HOME/config/${r.read.fileName} exists on ${r.read.host} and the host answers.` }));
    const inputs = reads.flatMap((r) => (r.input ? [r.input] : []));
    if (inputs.length > 0) {
      const result = validateClusterTips(inputs, { creating, ...(maxInstances === undefined ? {} : { maxInstances }) });
      if (!result.ok) return fail(invalidField("id", result.error));
      findings.push(...result.findings);
    }
    return ok<ClusterTipCheck>({ clusterName: cluster.name, files: reads.map((r) => r.read), findings });
  },
  run: async (_ctx, _input, checked) => ok(checked),
});
