import type { AgentStatus, ProcessStatus, PrsStatus } from "./types";

export const PRS_ADM_BANNER = "\nProSync 4 - Admin Utility\n\nTmaxData Corporation Copyright (c) 2024-. All rights reserved.\n\n";
export const PRS_ADM_PROMPT = "Admin> ";

export function renderAgentLine(a: AgentStatus): string {
  const fields = [`ID: ${a.id}`, `HOST: ${a.host}`, `PORT: ${a.port}`];
  if (a.cmGroup !== undefined) fields.push(`CM_GROUP: ${a.cmGroup}`);
  if (a.cmId !== undefined) fields.push(`CM_ID: ${a.cmId}`);
  for (const [k, v] of Object.entries(a.extra ?? {})) fields.push(`${k}: ${v}`);
  return `prs_agent ${fields.join(", ")} is ${a.state}`;
}

export function renderProcessLine(p: ProcessStatus): string {
  const index = p.index !== undefined ? ` (${p.index})` : "";
  const agent = p.agent ? ` (prs_agent ID : ${p.agent.id}, HOST: ${p.agent.host}, PORT: ${p.agent.port})` : "";
  return `${p.name}${index} is ${p.state}${agent}`;
}

/** The output of the `status` command, as printed after `Admin> status`. */
export function renderStatus(s: PrsStatus): string {
  const lines: string[] = ["", ...s.agents.map(renderAgentLine)];
  for (const instance of s.instances) {
    lines.push("", "", `Instance ID: [${instance.instanceId}]`, ...instance.processes.map(renderProcessLine));
  }
  return lines.map((l) => `${l}\n`).join("");
}
