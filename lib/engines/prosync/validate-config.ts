import { z } from "zod";
import type { Finding } from "../tibero/validate-tips";
import { inspectCmScript, renderCmScript } from "./cm-script";
import { interpretAgentCfg, interpretInstallAgentCfg, interpretInstallCfg } from "./interpret-cfg";
import { cfgGet, parseCfg } from "./parse-cfg";
import type { CfgFile, CfgProblem, InstallAgent } from "./types";

// Seed 003: the files CM failover depends on — prs_install_agent.cfg, prs_agent_<id>.cfg,
// prs_install.cfg and $PRS_HOME/bin/prs_<cm_id>.sh — validated and generated. interpret-cfg.ts finds
// the structural problems; this module adds the cross-file rules and a fix for every finding.

export type { Finding };
export type FileText = { fileName: string; text: string };

const PORT_MAX = 65535;

type Ctx = { file: string; findings: Finding[] };

function add(ctx: Ctx, severity: Finding["severity"], line: number, key: string, message: string, fix: string): void {
  ctx.findings.push({ severity, file: ctx.file, line, key, message, fix });
}

/** interpret-cfg.ts reports problems as messages; each kind gets its fix here. */
const FIXES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^AGENT_CNT is missing/, () => "Set AGENT_CNT to the number of agents listed."],
  [/^(AGENT_ID_\d+) is missing/, (m) => `Add ${m[1]}=<agent id> with its AGENT_HOST/AGENT_PORT, or lower AGENT_CNT.`],
  [/^(AGENT_ID_\d+) is beyond AGENT_CNT/, (m) => `Raise AGENT_CNT to cover ${m[1]}, or remove that agent.`],
  [/^(AGENT_HOST_\d+) is missing/, (m) => `Add ${m[1]}=<the agent's host IP>.`],
  [/^(AGENT_PORT_\d+) is missing/, (m) => `Set ${m[1]} to a port number.`],
  [/^(AGENT_CM_ID_\d+) is not a number/, (m) => `Set ${m[1]} to the CM_ID (0, 1, …) of the CM on that host.`],
  [/^agent id (\S+) defined twice/, () => "Give each agent its own AGENT_ID."],
  [/^USE_CM must be Y or N/, () => "Set USE_CM = Y to let CM manage the agent (or N)."],
  [/^(\w+) has no effect unless USE_CM=Y/, (m) => `Set USE_CM = Y, or remove ${m[1]}.`],
  [/^(\w+) must be a non-negative integer/, (m) => `Set ${m[1]} to a whole number of seconds/tries.`],
  [/^(\w+) is mandatory/, (m) => `Set ${m[1]}=<value>.`],
  [/^(EXT_AGENT_ID_LIST_\d+) is missing/, (m) => `Add ${m[1]}=<agent>,<agent> (the agents that may run this Ext process).`],
  [/^EXT_CNT \(\d+\) must equal SRC_DB_CNT/, () => "Set EXT_CNT to SRC_DB_CNT: one Ext process per source database instance."],
];

function fromProblems(ctx: Ctx, problems: CfgProblem[]): void {
  for (const p of problems) {
    const severity = /has no effect unless/.test(p.message) ? "warning" : "error";
    const key = /^agent id/.test(p.message) ? "AGENT_ID" : (/^([A-Z][A-Z0-9_]*[A-Z0-9])\b/.exec(p.message)?.[1] ?? "");
    let fix = "Correct the value as the message says.";
    for (const [re, make] of FIXES) {
      const m = re.exec(p.message);
      if (m) {
        fix = make(m);
        break;
      }
    }
    add(ctx, severity, p.lineNumber, key, p.message, fix);
  }
}

function parsed(ctx: Ctx, text: string): CfgFile | undefined {
  const r = parseCfg(text);
  if (!r.ok) {
    add(ctx, "error", r.error.lineNumber, "", `${r.error.message}: ${r.error.line}`, "Write the line as KEY=VALUE, or comment it out with #.");
    return undefined;
  }
  for (const w of r.value.warnings) {
    const key = /duplicate key (\S+)/.exec(w.message)?.[1] ?? "";
    add(ctx, "warning", w.lineNumber, key, `${w.message}; the last one wins`, `Keep one ${key} line.`);
  }
  return r.value;
}

function lineOf(cfg: CfgFile, key: string): number {
  return cfgGet(cfg, key)?.lineNumber ?? 0;
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= PORT_MAX;
}

// ---------------------------------------------------------------------------------------------
// prs_install_agent.cfg
// ---------------------------------------------------------------------------------------------

export type InstallAgentValidation = { findings: Finding[]; agents: InstallAgent[] };

export function validateInstallAgentCfg(text: string, fileName = "prs_install_agent.cfg"): InstallAgentValidation {
  const ctx: Ctx = { file: fileName, findings: [] };
  const cfg = parsed(ctx, text);
  if (!cfg) return { findings: ctx.findings, agents: [] };
  const { value, problems } = interpretInstallAgentCfg(cfg);
  fromProblems(ctx, problems);
  const endpoints = new Map<string, string>();
  const cmIds = new Map<string, string>();
  const scripts = new Map<string, string>();
  for (const a of value.agents) {
    const portKey = `AGENT_PORT_${a.index}`;
    if (a.port !== 0 && !validPort(a.port)) add(ctx, "error", lineOf(cfg, portKey), portKey, `${portKey}=${a.port} is not a port (1-${PORT_MAX})`, `Set ${portKey} to a free port on ${a.host}.`);
    const endpoint = `${a.host}:${a.port}`;
    const other = endpoints.get(endpoint);
    if (other !== undefined && a.host !== "" && a.port !== 0) add(ctx, "error", lineOf(cfg, portKey), portKey, `${a.id} listens on ${endpoint}, as does ${other}`, `Give ${a.id} another AGENT_PORT or host.`);
    else endpoints.set(endpoint, a.id);
    const groupKey = `AGENT_CM_GROUP_${a.index}`;
    const idKey = `AGENT_CM_ID_${a.index}`;
    if (a.cmGroup !== undefined && a.cmId === undefined && !cfgGet(cfg, idKey)) {
      add(ctx, "error", lineOf(cfg, groupKey), idKey, `${a.id} has AGENT_CM_GROUP but no AGENT_CM_ID; prs_<cm_id>.sh is generated from the CM ID`, `Add ${idKey}=<CM_ID of the CM on ${a.host}>.`);
    }
    if (a.cmId !== undefined && a.cmGroup === undefined) {
      add(ctx, "error", lineOf(cfg, idKey), groupKey, `${a.id} has AGENT_CM_ID but no AGENT_CM_GROUP; cmrctl add agent needs the group`, `Add ${groupKey}=<CM group name>.`);
    }
    if (a.cmGroup !== undefined && a.cmId !== undefined) {
      const slot = `${a.cmGroup}\0${a.cmId}`;
      const holder = cmIds.get(slot);
      if (holder !== undefined) add(ctx, "error", lineOf(cfg, idKey), idKey, `${a.id} and ${holder} both have CM ID ${a.cmId} in group ${a.cmGroup}`, `Give each agent of ${a.cmGroup} its own AGENT_CM_ID (the CM_ID of its node).`);
      else cmIds.set(slot, a.id);
      const script = `${a.host}\0${a.cmId}`;
      const sharing = scripts.get(script);
      if (sharing !== undefined) add(ctx, "warning", lineOf(cfg, idKey), idKey, `${a.id} and ${sharing} are both on ${a.host} with CM ID ${a.cmId}: the install writes one prs_${a.cmId}.sh for both`, `Put ${a.id} on another host, or edit prs_${a.cmId}.sh per agent after the install.`);
      else scripts.set(script, a.id);
    }
  }
  const groups = new Map<string, InstallAgent[]>();
  for (const a of value.agents) if (a.cmGroup !== undefined) groups.set(a.cmGroup, [...(groups.get(a.cmGroup) ?? []), a]);
  for (const [group, members] of groups) {
    const first = members[0];
    if (members.length === 1 && first) {
      const key = `AGENT_CM_GROUP_${first.index}`;
      add(ctx, "warning", lineOf(cfg, key), key, `CM group ${group} has only ${first.id}; failover needs a second agent on another node`, `Add another agent to ${group} on a different host.`);
    }
  }
  return { findings: ctx.findings, agents: value.agents };
}

// ---------------------------------------------------------------------------------------------
// prs_agent_<id>.cfg
// ---------------------------------------------------------------------------------------------

/** `agent` is this file's entry of prs_install_agent.cfg, when known. */
export function validateAgentCfg(text: string, fileName: string, agent?: InstallAgent): Finding[] {
  const ctx: Ctx = { file: fileName, findings: [] };
  const cfg = parsed(ctx, text);
  if (!cfg) return ctx.findings;
  const { value, problems } = interpretAgentCfg(cfg);
  fromProblems(ctx, problems);
  const id = /^prs_agent_(.+)\.cfg$/.exec(fileName.split("/").at(-1) ?? "")?.[1];
  if (agent && id !== undefined && id !== agent.id) {
    add(ctx, "error", 0, "", `${fileName} is named for agent ${id}, but describes ${agent.id}`, `Rename it prs_agent_${agent.id}.cfg.`);
  }
  if (agent?.cmGroup !== undefined && !value.useCm) {
    const line = lineOf(cfg, "USE_CM");
    add(ctx, "warning", line, "USE_CM", `${agent.id} is in CM group ${agent.cmGroup}, but USE_CM is ${line === 0 ? "not set (default N)" : "N"}: the agent will not watch its processes or stop through cmrctl`, "Set USE_CM = Y.");
  }
  if (value.listenerPort !== undefined && !validPort(value.listenerPort)) {
    add(ctx, "error", lineOf(cfg, "LISTENER_PORT"), "LISTENER_PORT", `LISTENER_PORT=${value.listenerPort} is not a port`, "Set LISTENER_PORT to a free port number.");
  }
  return ctx.findings;
}

// ---------------------------------------------------------------------------------------------
// prs_install.cfg
// ---------------------------------------------------------------------------------------------

/** `agents` are those of prs_install_agent.cfg; without them the agent lists are not cross-checked. */
export function validateInstallCfg(text: string, fileName = "prs_install.cfg", agents?: InstallAgent[]): Finding[] {
  const ctx: Ctx = { file: fileName, findings: [] };
  const cfg = parsed(ctx, text);
  if (!cfg) return ctx.findings;
  const { value, problems } = interpretInstallCfg(cfg);
  fromProblems(ctx, problems);
  const extCnt = cfgGet(cfg, "EXT_CNT");
  if (!extCnt || !/^\d+$/.test(extCnt.value)) add(ctx, "error", extCnt?.lineNumber ?? 0, "EXT_CNT", "EXT_CNT is missing or not a number", "Set EXT_CNT to SRC_DB_CNT.");
  if (!cfgGet(cfg, "SRC_DB_CNT")) add(ctx, "warning", 0, "SRC_DB_CNT", "SRC_DB_CNT is not set, so EXT_CNT cannot be checked against it", "Set SRC_DB_CNT to the number of source database instances.");
  const known = agents ? new Map(agents.map((a) => [a.id, a])) : undefined;
  const lists: Array<[string, string[]]> = [...value.ext.map((l, i): [string, string[]] => [`EXT_AGENT_ID_LIST_${i}`, l]), ["APPLY_AGENT_ID_LIST", value.apply.agents], ["LLOB_AGENT_ID_LIST", value.llob.agents]];
  for (const [key, ids] of lists) {
    const line = lineOf(cfg, key);
    if (ids.length === 0 && line !== 0) add(ctx, "error", line, key, `${key} names no agent`, `List the agents (${value.delimiter}-separated) that may run this process.`);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) add(ctx, "warning", line, key, `${key} names ${id} twice`, `List ${id} once.`);
      seen.add(id);
      if (known && !known.has(id)) add(ctx, "error", line, key, `${key} names agent ${id}, which prs_install_agent.cfg does not define`, `Use one of ${[...known.keys()].join(", ")}, or add ${id} to prs_install_agent.cfg.`);
    }
  }
  const ports: Array<{ key: string; port: number; agents: string[] }> = [];
  for (const [key, listKey, list] of [["APPLY_PORT", "APPLY_AGENT_ID_LIST", value.apply.agents], ["LLOB_PORT", "LLOB_AGENT_ID_LIST", value.llob.agents]] as const) {
    const entry = cfgGet(cfg, key);
    if (!entry) {
      if (list.length > 0) add(ctx, "error", 0, key, `${key} is not set, but ${listKey} is`, `Add ${key}=<port>.`);
      continue;
    }
    const port = /^\d+$/.test(entry.value) ? Number(entry.value) : NaN;
    if (!validPort(port)) {
      add(ctx, "error", entry.lineNumber, key, `${key} must be a port (1-${PORT_MAX}), got '${entry.value}'`, `Set ${key} to a free port number.`);
      continue;
    }
    const clash = ports.find((p) => p.port === port);
    if (clash) add(ctx, "error", entry.lineNumber, key, `${key}=${port} is also ${clash.key}`, `Give ${key} a port of its own.`);
    ports.push({ key, port, agents: list });
    for (const id of list) {
      const agent = known?.get(id);
      if (agent && agent.port === port) add(ctx, "error", entry.lineNumber, key, `${key}=${port} is the AGENT_PORT of ${id} on ${agent.host}`, `Give ${key} a port not used by the agents.`);
    }
  }
  const srcCnt = value.srcDbCnt;
  if (srcCnt !== undefined && value.srcAliases.length > 0 && value.srcAliases.length !== srcCnt) {
    add(ctx, "warning", lineOf(cfg, "SRC_DB_CNT"), "SRC_DB_CNT", `SRC_DB_CNT=${srcCnt} but ${value.srcAliases.length} SRC_DB_ALIAS_<n> are set`, `Set SRC_DB_ALIAS_0 … SRC_DB_ALIAS_${srcCnt - 1}, one per source instance.`);
  }
  return ctx.findings;
}

// ---------------------------------------------------------------------------------------------
// prs_<cm_id>.sh
// ---------------------------------------------------------------------------------------------

function scriptLine(text: string, re: RegExp): number {
  const i = text.split(/\r?\n/).findIndex((l) => re.test(l.trim()));
  return i < 0 ? 0 : i + 1;
}

/** The CM agent script; `agents` (prs_install_agent.cfg) lets AGENT_ID and the file name be checked. */
export function validateCmScript(text: string, fileName: string, agents?: InstallAgent[]): Finding[] {
  const ctx: Ctx = { file: fileName, findings: [] };
  const info = inspectCmScript(text);
  const bash = info.interpreter !== undefined && /(^|\/)bash$/.test(info.interpreter);
  if (!bash) {
    const got = info.interpreter === undefined ? "has no #! line" : `runs under ${info.interpreter}`;
    const consequence = info.sourceLine !== undefined ? `; \`source\` (line ${info.sourceLine}) does not exist in POSIX sh, so CM's START ends with exit 127` : "";
    add(ctx, "error", info.interpreter === undefined ? 0 : 1, "#!", `the script ${got}${consequence}`, "Make the first line #!/bin/bash.");
  }
  for (const name of ["TB_HOME", "PRS_HOME"]) {
    if (!info.exports[name]) {
      const line = scriptLine(text, new RegExp(`^(export\\s+)?${name}=`));
      add(ctx, "error", line, name, `${name} is not exported${line ? " (set without export)" : ""}; prs_cm.sh and the agent need it`, `Add export ${name}=<path> near the top.`);
    }
  }
  const agentId = info.assignments.AGENT_ID ?? info.exports.AGENT_ID;
  const agentLine = scriptLine(text, /^(export\s+)?AGENT_ID=/);
  if (!agentId) add(ctx, "error", agentLine, "AGENT_ID", "AGENT_ID is not set; CM would start no agent", "Add AGENT_ID=<the agent this node runs>.");
  else if (agents) {
    const agent = agents.find((a) => a.id === agentId);
    const scriptCmId = /^prs_(\d+)\.sh$/.exec(fileName.split("/").at(-1) ?? "")?.[1];
    if (!agent) add(ctx, "error", agentLine, "AGENT_ID", `AGENT_ID=${agentId} is not defined in prs_install_agent.cfg`, `Use one of ${agents.map((a) => a.id).join(", ")}.`);
    else if (scriptCmId !== undefined && agent.cmId !== undefined && Number(scriptCmId) !== agent.cmId) {
      add(ctx, "warning", agentLine, "AGENT_ID", `${fileName} is the script for CM ID ${scriptCmId}, but ${agentId} has AGENT_CM_ID ${agent.cmId}`, `Point this script at the agent with CM ID ${scriptCmId} on this node.`);
    }
  }
  return ctx.findings;
}

// ---------------------------------------------------------------------------------------------
// Everything at once
// ---------------------------------------------------------------------------------------------

export type ProsyncConfigSet = {
  installAgentCfg?: FileText;
  agentCfgs?: FileText[];
  installCfg?: FileText;
  cmScripts?: FileText[];
};

export function validateProsyncConfig(set: ProsyncConfigSet): Finding[] {
  const installAgent = set.installAgentCfg ? validateInstallAgentCfg(set.installAgentCfg.text, set.installAgentCfg.fileName) : undefined;
  const agents = installAgent?.agents;
  const findings = [...(installAgent?.findings ?? [])];
  for (const f of set.agentCfgs ?? []) {
    const id = /^prs_agent_(.+)\.cfg$/.exec(f.fileName.split("/").at(-1) ?? "")?.[1];
    const agent = agents?.find((a) => a.id === id);
    if (agents && !agent) findings.push({ severity: "warning", file: f.fileName, line: 0, key: "", message: `no agent ${id ?? "?"} in prs_install_agent.cfg`, fix: "Name the file prs_agent_<AGENT_ID>.cfg after a defined agent." });
    findings.push(...validateAgentCfg(f.text, f.fileName, agent));
  }
  if (set.installCfg) findings.push(...validateInstallCfg(set.installCfg.text, set.installCfg.fileName, agents));
  for (const s of set.cmScripts ?? []) findings.push(...validateCmScript(s.text, s.fileName, agents));
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Generators: typed input → a cfg that passes the validators above
// ---------------------------------------------------------------------------------------------

export type Rendered = { ok: true; text: string } | { ok: false; error: string };

const agentId = z.string().regex(/^[A-Za-z0-9_]+$/, "letters, digits and _");
const port = z.number().int().min(1).max(PORT_MAX);

export const InstallAgentInputSchema = z.array(
  z.object({ id: agentId, host: z.string().regex(/^[A-Za-z0-9.:-]+$/, "a host name or IP"), port, cmGroup: agentId.optional(), cmId: z.number().int().nonnegative().optional() }),
);
export type InstallAgentInput = z.input<typeof InstallAgentInputSchema>;

function render<S extends z.ZodType>(schema: S, input: unknown, draw: (value: z.output<S>) => string): Rendered {
  const r = schema.safeParse(input);
  if (!r.success) return { ok: false, error: z.prettifyError(r.error) };
  return { ok: true, text: draw(r.data) };
}

/** prs_install_agent.cfg in the seed's layout: AGENT_CNT, then one block per agent. */
export function renderInstallAgentCfg(input: unknown): Rendered {
  return render(InstallAgentInputSchema, input, (agents) => {
    const blocks = agents.map((a, i) => {
      const lines = [`AGENT_ID_${i}=${a.id}`, `AGENT_HOST_${i}=${a.host}`, `AGENT_PORT_${i}=${a.port}`];
      if (a.cmGroup !== undefined) lines.push(`AGENT_CM_GROUP_${i}=${a.cmGroup}`);
      if (a.cmId !== undefined) lines.push(`AGENT_CM_ID_${i}=${a.cmId}`);
      return lines.join("\n");
    });
    return [`AGENT_CNT=${agents.length}`, ...blocks].join("\n\n") + "\n";
  });
}

export const AgentCfgInputSchema = z.object({
  listenerPort: port,
  logLevel: z.number().int().nonnegative().default(3),
  logDir: z.string().min(1),
  useCm: z.boolean(),
  /** Written only with useCm: without USE_CM=Y they have no effect (seed 003 §3). */
  cm: z
    .object({
      procMaxFailCnt: z.number().int().nonnegative().default(10),
      procStartupTimeout: z.number().int().nonnegative().default(10),
      procStatusReplyTimeout: z.number().int().nonnegative().default(10),
      procStatusInterval: z.number().int().nonnegative().default(3),
      cmProbeTimeout: z.number().int().nonnegative().default(0),
    })
    .prefault({}),
});
export type AgentCfgInput = z.input<typeof AgentCfgInputSchema>;

/** prs_agent_<id>.cfg with the seed's sections (NORMAL, LOG, CM). */
export function renderAgentCfg(input: unknown): Rendered {
  return render(AgentCfgInputSchema, input, (a) => {
    const rule = `#${"-".repeat(79)}`;
    const cm = a.useCm
      ? [
          "USE_CM = Y",
          `PRS_AGENT_PROC_MAX_FAIL_CNT = ${a.cm.procMaxFailCnt}`,
          `PRS_AGENT_PROC_STARTUP_TIMEOUT = ${a.cm.procStartupTimeout}`,
          `PRS_AGENT_PROC_STATUS_REPLY_TIMEOUT = ${a.cm.procStatusReplyTimeout}`,
          `PRS_AGENT_PROC_STATUS_INTERVAL = ${a.cm.procStatusInterval}`,
          `PRS_AGENT_CM_PROBE_TIMEOUT = ${a.cm.cmProbeTimeout}`,
        ]
      : ["USE_CM = N"];
    return [
      "#".repeat(80),
      "# ",
      "# ProSync Agent Configurations (Template)",
      "#",
      "#".repeat(80),
      "",
      rule,
      "# NORMAL",
      rule,
      `LISTENER_PORT = ${a.listenerPort}`,
      "",
      rule,
      "# LOG",
      rule,
      `LOG_LEVEL = ${a.logLevel}`,
      `LOG_DIR = ${a.logDir}`,
      `LOG_BACKUP_DIR = ${a.logDir}/backup`,
      rule,
      "# CM",
      rule,
      ...cm,
      "",
    ].join("\n");
  });
}

const db = z.object({ type: z.string().regex(/^\w+$/), name: z.string().regex(/^\w+$/), installUser: z.string().min(1), installPwd: z.string().min(1), cnt: z.number().int().positive() });

export const InstallCfgInputSchema = z
  .object({
    instanceId: z.string().regex(/^\w+$/),
    prsUser: z.string().regex(/^\w+$/),
    prsPwd: z.string().min(1),
    delimiter: z.string().length(1).default(","),
    /** One agent list per source instance: EXT_CNT = SRC_DB_CNT. */
    ext: z.array(z.array(agentId).min(1)).min(1),
    apply: z.object({ port, agents: z.array(agentId).min(1) }),
    llob: z.object({ port, agents: z.array(agentId).min(1) }),
    src: db.extend({ aliases: z.array(z.string().regex(/^\w+$/)).optional() }),
    tar: db,
  })
  .refine((c) => c.ext.length === c.src.cnt, { message: "one Ext agent list per source instance (EXT_CNT = SRC_DB_CNT)", path: ["ext"] })
  .refine((c) => c.apply.port !== c.llob.port, { message: "APPLY_PORT and LLOB_PORT must differ", path: ["llob", "port"] });
export type InstallCfgInput = z.input<typeof InstallCfgInputSchema>;

/** prs_install.cfg with the seed's mandatory parameters and section banners (optional ones left out). */
export function renderInstallCfg(input: unknown): Rendered {
  return render(InstallCfgInputSchema, input, (c) => {
    const banner = (title: string) => ["#".repeat(44), "#", `# ${title}`, "#", "#".repeat(44)];
    const list = (ids: string[]) => ids.join(c.delimiter);
    return [
      ...banner("ProSync Installation Parameters"),
      "",
      "# (Mandatory)",
      `INSTANCE_ID=${c.instanceId}`,
      `PRS_USER=${c.prsUser}`,
      `PRS_PWD=${c.prsPwd}`,
      "",
      ...banner("ProSync Processes Informations for Instance Map"),
      "### (Optional)",
      `AGENT_LIST_DELIMITER=${c.delimiter}`,
      "",
      "### (Mandatory)",
      "# Ext process",
      "## Ext cnt must be the same as SRC_DB_CNT",
      `EXT_CNT=${c.ext.length}`,
      ...c.ext.map((ids, i) => `EXT_AGENT_ID_LIST_${i}=${list(ids)}`),
      "",
      "# Apply process",
      `APPLY_PORT=${c.apply.port}`,
      `APPLY_AGENT_ID_LIST=${list(c.apply.agents)}`,
      "",
      "# Llob process",
      `LLOB_PORT=${c.llob.port}`,
      `LLOB_AGENT_ID_LIST=${list(c.llob.agents)}`,
      "",
      ...banner("Source database informations"),
      "",
      "# (Mandatory)",
      `SRC_DB_TYPE=${c.src.type}`,
      `SRC_DB_NAME=${c.src.name}`,
      `SRC_INSTALL_USER=${c.src.installUser}`,
      `SRC_INSTALL_PWD=${c.src.installPwd}`,
      "",
      "# (Number Of Database Instances)",
      `SRC_DB_CNT=${c.src.cnt}`,
      ...(c.src.aliases ? ["", "# (for Cluster, only Extract Needed)", ...c.src.aliases.map((a, i) => `SRC_DB_ALIAS_${i}=${a}`)] : []),
      "",
      ...banner("Target database informations"),
      "",
      "# (Mandatory)",
      `TAR_DB_TYPE=${c.tar.type}`,
      `TAR_DB_NAME=${c.tar.name}`,
      `TAR_INSTALL_USER=${c.tar.installUser}`,
      `TAR_INSTALL_PWD=${c.tar.installPwd}`,
      "",
      "# (Number Of Database Instances)",
      `TAR_DB_CNT=${c.tar.cnt}`,
      "",
    ].join("\n");
  });
}

export const CmScriptInputSchema = z.object({ tbHome: z.string().regex(/^\/\S*$/, "an absolute path"), prsHome: z.string().regex(/^\/\S*$/, "an absolute path"), agentId });
export type CmScriptInput = z.infer<typeof CmScriptInputSchema>;

/** prs_<cm_id>.sh as the seed generates it, but with #!/bin/bash — the seed's fix for exit 127. */
export function renderAgentCmScript(input: unknown): Rendered {
  return render(CmScriptInputSchema, input, (p) => renderCmScript({ ...p, shell: "/bin/bash" }));
}
