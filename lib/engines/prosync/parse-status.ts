import { KNOWN_RUN_STATES, parseError, type AgentStatus, type InstanceStatus, type ParseResult, type ParseWarning, type PrsStatus } from "./types";

const AGENT_LINE = /^prs_agent (.+) is (.+?)\s*$/;
const INSTANCE_LINE = /^Instance ID: \[(.+)\]\s*$/;
const PROCESS_LINE = /^(\S+)(?: \((\d+)\))? is (.+?)(?: \(prs_agent ID : (\S+), HOST: (\S+), PORT: (\d+)\))?\s*$/;
const NOISE = [
  /^\$\s*prs_adm\b/,
  /^ProSync \d+ - Admin Utility\s*$/,
  /^TmaxData Corporation Copyright/,
  /^Admin>/,
];

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function parseFields(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(", ")) {
    const m = /^([A-Z_]+): (\S+)$/.exec(part.trim());
    if (!m || m[1] === undefined || m[2] === undefined) return undefined;
    fields.set(m[1], m[2]);
  }
  return fields;
}

function checkState(state: string, lineNumber: number, warnings: ParseWarning[]): void {
  if (!(KNOWN_RUN_STATES as readonly string[]).includes(state)) warnings.push({ message: `unknown state '${state}'`, lineNumber });
}

/**
 * `prs_adm` status output: agent lines, then per instance `Instance ID: [..]` and its process lines.
 * Accepts a whole session (banner, `Admin>` prompts) or just the status block.
 */
export function parseStatus(text: string): ParseResult<PrsStatus & { warnings: ParseWarning[] }> {
  const agents: AgentStatus[] = [];
  const instances: InstanceStatus[] = [];
  const warnings: ParseWarning[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const lineNumber = i + 1;
    if (line.trim() === "" || NOISE.some((re) => re.test(line))) continue;
    const agent = AGENT_LINE.exec(line);
    if (agent && agent[1] !== undefined && agent[2] !== undefined) {
      const fields = parseFields(agent[1]);
      const id = fields?.get("ID");
      const host = fields?.get("HOST");
      const port = fields?.get("PORT");
      if (!fields || !id || !host || !port || !/^\d+$/.test(port)) {
        return parseError("agent line needs 'ID: x, HOST: y, PORT: n'", line, lineNumber);
      }
      const status: AgentStatus = { id, host, port: Number(port), state: agent[2] };
      const group = fields.get("CM_GROUP");
      if (group !== undefined) status.cmGroup = group;
      const cmId = fields.get("CM_ID");
      if (cmId !== undefined) {
        if (!/^\d+$/.test(cmId)) return parseError(`CM_ID '${cmId}' is not a number`, line, lineNumber);
        status.cmId = Number(cmId);
      }
      const extra = [...fields].filter(([k]) => !["ID", "HOST", "PORT", "CM_GROUP", "CM_ID"].includes(k));
      if (extra.length > 0) {
        status.extra = Object.fromEntries(extra);
        warnings.push({ message: `unknown agent field(s) ${extra.map(([k]) => k).join(", ")}`, lineNumber });
      }
      checkState(status.state, lineNumber, warnings);
      agents.push(status);
      continue;
    }
    const instance = INSTANCE_LINE.exec(line);
    if (instance && instance[1] !== undefined) {
      instances.push({ instanceId: instance[1], processes: [] });
      continue;
    }
    const proc = PROCESS_LINE.exec(line);
    const current = instances[instances.length - 1];
    if (proc && proc[1] !== undefined && proc[3] !== undefined && current) {
      const p: InstanceStatus["processes"][number] = { name: proc[1], state: proc[3] };
      if (proc[2] !== undefined) p.index = Number(proc[2]);
      if (proc[4] !== undefined && proc[5] !== undefined && proc[6] !== undefined) {
        p.agent = { id: proc[4], host: proc[5], port: Number(proc[6]) };
      }
      checkState(p.state, lineNumber, warnings);
      current.processes.push(p);
      continue;
    }
    return parseError(current ? "unrecognised status line" : "unrecognised line before any 'Instance ID: [..]'", line, lineNumber);
  }
  return { ok: true, value: { agents, instances, warnings } };
}
