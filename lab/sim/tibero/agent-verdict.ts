import { access, constants, readFile } from "node:fs/promises";
import path from "node:path";
import { inspectCmScript, judgeCmScript } from "../../../lib/engines/prosync/cm-script";
import type { ScriptVerdict, State } from "./state";
import type { TopologyNode } from "./topology";

const failed = (exitCode: number, message: string): ScriptVerdict => ({ ok: false, exitCode, message });

/**
 * What happens when CM runs `<script> START` for an agent resource on `node`. The lab does not execute
 * the script; it reads it and the files it relies on, and decides as a real run would end.
 */
export async function judgeAgentStart(state: State, node: TopologyNode, script: string): Promise<ScriptVerdict> {
  let text: string;
  try {
    text = await readFile(script, "utf8");
  } catch {
    return failed(127, `${script}: not found`);
  }
  try {
    await access(script, constants.X_OK);
  } catch {
    return failed(126, `${script}: Permission denied`);
  }
  const info = inspectCmScript(text);
  const judged = judgeCmScript(info, script);
  if (!judged.ok) return failed(judged.exitCode, judged.message);
  const agentId = info.assignments.AGENT_ID ?? info.exports.AGENT_ID ?? "";
  const prsHome = info.exports.PRS_HOME ?? "";
  const agent = state.prosync.agents.find((a) => a.id === agentId);
  if (!agent) return failed(1, `prs_agent ${agentId}: not installed (run prs_install_agent.sh)`);
  if (agent.host !== node.host) return failed(1, `prs_agent ${agentId}: AGENT_HOST is ${agent.host}, but this node is ${node.host}`);
  const cm = state.nodes[node.name]?.cm;
  if (cm?.cmId === undefined) return failed(1, `prs_agent ${agentId}: CM_ID is not set in the tip of ${cm?.cmName ?? node.cmName}`);
  if (agent.cmId !== cm.cmId) return failed(1, `prs_agent ${agentId}: AGENT_CM_ID ${agent.cmId ?? "unset"} does not match CM_ID ${cm.cmId} of ${cm.cmName}`);
  const cfg = path.join(prsHome, "config", `prs_agent_${agentId}.cfg`);
  try {
    await access(cfg, constants.R_OK);
  } catch {
    return failed(1, `prs_agent ${agentId}: ${cfg} not found`);
  }
  return { ok: true, agentId };
}
