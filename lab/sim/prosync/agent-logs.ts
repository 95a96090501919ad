import { appendFile, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { inspectCmScript } from "../../../lib/engines/prosync/cm-script";
import type { ScriptVerdict } from "../tibero/state";

// What running `prs_<n>.sh START` leaves in $PRS_HOME/var (seed 003 §6 lists cmagent.log and
// prs_cm_sh_err_<agent_id>.log): the script's own echo lines, and the shell's complaint on failure.

function stamp(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export async function writeAgentStartLogs(script: string, verdict: ScriptVerdict, now: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(script, "utf8");
  } catch {
    return; // CM could not run it at all: nothing reaches the agent's logs
  }
  const info = inspectCmScript(text);
  const prsHome = info.exports.PRS_HOME;
  const agentId = info.assignments.AGENT_ID ?? info.exports.AGENT_ID ?? "";
  const timeout = info.assignments.TIMEOUT_CNT ?? "";
  if (!prsHome) return;
  const varDir = path.join(prsHome, "var");
  try {
    if (!(await stat(varDir)).isDirectory()) return;
  } catch {
    return;
  }
  const lines = [`${stamp(now)} cm agent Start (Agent Command START)`, `start ${timeout} ${agentId}`, `${stamp(now)} cm agent End  (Agent Command START)`];
  await appendFile(path.join(varDir, "cmagent.log"), `${lines.join("\n")}\n`);
  if (!verdict.ok) await appendFile(path.join(varDir, `prs_cm_sh_err_${agentId}.log`), `${verdict.message}\n`);
}
