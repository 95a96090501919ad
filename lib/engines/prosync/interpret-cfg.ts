import { cfgGet, cfgIndexed } from "./parse-cfg";
import type { AgentCfg, CfgFile, CfgProblem, InstallAgent, InstallCfg } from "./types";

export type Interpreted<T> = { value: T; problems: CfgProblem[] };

function intOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** prs_install_agent.cfg → agents by index; AGENT_CNT must match the agents defined. */
export function interpretInstallAgentCfg(cfg: CfgFile): Interpreted<{ agentCnt: number; agents: InstallAgent[] }> {
  const problems: CfgProblem[] = [];
  const cntEntry = cfgGet(cfg, "AGENT_CNT");
  const agentCnt = intOf(cntEntry?.value);
  if (agentCnt === undefined) problems.push({ message: "AGENT_CNT is missing or not a number", lineNumber: cntEntry?.lineNumber ?? 0 });
  const ids = cfgIndexed(cfg, "AGENT_ID");
  const agents: InstallAgent[] = [];
  const count = agentCnt ?? ids.size;
  for (let i = 0; i < count; i++) {
    const id = ids.get(i);
    if (!id || id.value === "") {
      problems.push({ message: `AGENT_ID_${i} is missing (AGENT_CNT=${count})`, lineNumber: cntEntry?.lineNumber ?? 0 });
      continue;
    }
    const host = cfgGet(cfg, `AGENT_HOST_${i}`);
    const port = cfgGet(cfg, `AGENT_PORT_${i}`);
    const group = cfgGet(cfg, `AGENT_CM_GROUP_${i}`);
    const cmId = cfgGet(cfg, `AGENT_CM_ID_${i}`);
    const portNumber = intOf(port?.value);
    if (!host || host.value === "") problems.push({ message: `AGENT_HOST_${i} is missing`, lineNumber: id.lineNumber });
    if (portNumber === undefined) problems.push({ message: `AGENT_PORT_${i} is missing or not a number`, lineNumber: port?.lineNumber ?? id.lineNumber });
    if (cmId && intOf(cmId.value) === undefined) problems.push({ message: `AGENT_CM_ID_${i} is not a number`, lineNumber: cmId.lineNumber });
    const agent: InstallAgent = { index: i, id: id.value, host: host?.value ?? "", port: portNumber ?? 0 };
    if (group && group.value !== "") agent.cmGroup = group.value;
    const cmIdNumber = intOf(cmId?.value);
    if (cmIdNumber !== undefined) agent.cmId = cmIdNumber;
    agents.push(agent);
  }
  for (const [index, e] of ids) {
    if (index >= count) problems.push({ message: `AGENT_ID_${index} is beyond AGENT_CNT=${count}`, lineNumber: e.lineNumber });
  }
  const seenIds = new Map<string, number>();
  for (const a of agents) {
    const first = seenIds.get(a.id);
    if (first !== undefined) problems.push({ message: `agent id ${a.id} defined twice (indexes ${first} and ${a.index})`, lineNumber: ids.get(a.index)?.lineNumber ?? 0 });
    else seenIds.set(a.id, a.index);
  }
  return { value: { agentCnt: count, agents }, problems };
}

const CM_DEPENDENT = [
  "PRS_AGENT_PROC_MAX_FAIL_CNT",
  "PRS_AGENT_PROC_STARTUP_TIMEOUT",
  "PRS_AGENT_PROC_STATUS_REPLY_TIMEOUT",
  "PRS_AGENT_PROC_STATUS_INTERVAL",
  "PRS_AGENT_CM_PROBE_TIMEOUT",
] as const;

/** prs_agent_<id>.cfg with the seed's defaults (USE_CM=N, MAX_FAIL_CNT=10, CM_PROBE_TIMEOUT=0). */
export function interpretAgentCfg(cfg: CfgFile): Interpreted<AgentCfg> {
  const problems: CfgProblem[] = [];
  const num = (key: string): number | undefined => {
    const e = cfgGet(cfg, key);
    if (!e) return undefined;
    const n = intOf(e.value);
    if (n === undefined) problems.push({ message: `${key} must be a non-negative integer, got '${e.value}'`, lineNumber: e.lineNumber });
    return n;
  };
  const useCmEntry = cfgGet(cfg, "USE_CM");
  const useCm = (useCmEntry?.value ?? "N").toUpperCase() === "Y";
  if (useCmEntry && !/^[YN]$/i.test(useCmEntry.value)) problems.push({ message: `USE_CM must be Y or N, got '${useCmEntry.value}'`, lineNumber: useCmEntry.lineNumber });
  if (!useCm) {
    for (const key of CM_DEPENDENT) {
      const e = cfgGet(cfg, key);
      if (e) problems.push({ message: `${key} has no effect unless USE_CM=Y`, lineNumber: e.lineNumber });
    }
  }
  const value: AgentCfg = {
    useCm,
    procMaxFailCnt: num("PRS_AGENT_PROC_MAX_FAIL_CNT") ?? 10,
    cmProbeTimeout: num("PRS_AGENT_CM_PROBE_TIMEOUT") ?? 0,
  };
  const listenerPort = num("LISTENER_PORT");
  if (listenerPort !== undefined) value.listenerPort = listenerPort;
  const logDir = cfgGet(cfg, "LOG_DIR")?.value;
  if (logDir) value.logDir = logDir;
  const startup = num("PRS_AGENT_PROC_STARTUP_TIMEOUT");
  if (startup !== undefined) value.procStartupTimeout = startup;
  const reply = num("PRS_AGENT_PROC_STATUS_REPLY_TIMEOUT");
  if (reply !== undefined) value.procStatusReplyTimeout = reply;
  const interval = num("PRS_AGENT_PROC_STATUS_INTERVAL");
  if (interval !== undefined) value.procStatusInterval = interval;
  return { value, problems };
}

/** prs_install.cfg → instance and process placement; EXT_CNT must equal SRC_DB_CNT. */
export function interpretInstallCfg(cfg: CfgFile): Interpreted<InstallCfg> {
  const problems: CfgProblem[] = [];
  const str = (key: string): string | undefined => cfgGet(cfg, key)?.value;
  for (const key of ["INSTANCE_ID", "PRS_USER", "PRS_PWD"]) {
    if (!str(key)) problems.push({ message: `${key} is mandatory`, lineNumber: cfgGet(cfg, key)?.lineNumber ?? 0 });
  }
  const delimiter = str("AGENT_LIST_DELIMITER") || ",";
  const list = (text: string | undefined): string[] =>
    (text ?? "").split(delimiter).map((s) => s.trim()).filter((s) => s !== "");
  const extCntEntry = cfgGet(cfg, "EXT_CNT");
  const extCnt = intOf(extCntEntry?.value) ?? 0;
  const ext: string[][] = [];
  for (let i = 0; i < extCnt; i++) {
    const e = cfgGet(cfg, `EXT_AGENT_ID_LIST_${i}`);
    if (!e) problems.push({ message: `EXT_AGENT_ID_LIST_${i} is missing (EXT_CNT=${extCnt})`, lineNumber: extCntEntry?.lineNumber ?? 0 });
    ext.push(list(e?.value));
  }
  const srcDbCntEntry = cfgGet(cfg, "SRC_DB_CNT");
  const srcDbCnt = intOf(srcDbCntEntry?.value);
  if (srcDbCnt !== undefined && extCnt !== srcDbCnt) {
    problems.push({ message: `EXT_CNT (${extCnt}) must equal SRC_DB_CNT (${srcDbCnt})`, lineNumber: extCntEntry?.lineNumber ?? 0 });
  }
  const srcAliases: string[] = [];
  for (let i = 0; cfgGet(cfg, `SRC_DB_ALIAS_${i}`); i++) srcAliases.push(cfgGet(cfg, `SRC_DB_ALIAS_${i}`)?.value ?? "");
  const value: InstallCfg = {
    instanceId: str("INSTANCE_ID") ?? "",
    prsUser: str("PRS_USER") ?? "",
    delimiter,
    ext,
    apply: { agents: list(str("APPLY_AGENT_ID_LIST")) },
    llob: { agents: list(str("LLOB_AGENT_ID_LIST")) },
    srcAliases,
  };
  const applyPort = intOf(str("APPLY_PORT"));
  if (applyPort !== undefined) value.apply.port = applyPort;
  const llobPort = intOf(str("LLOB_PORT"));
  if (llobPort !== undefined) value.llob.port = llobPort;
  const assign = <K extends "srcDbType" | "srcDbName" | "tarDbType" | "tarDbName">(k: K, key: string) => {
    const v = str(key);
    if (v !== undefined) value[k] = v;
  };
  assign("srcDbType", "SRC_DB_TYPE");
  assign("srcDbName", "SRC_DB_NAME");
  assign("tarDbType", "TAR_DB_TYPE");
  assign("tarDbName", "TAR_DB_NAME");
  if (srcDbCnt !== undefined) value.srcDbCnt = srcDbCnt;
  const tarDbCnt = intOf(str("TAR_DB_CNT"));
  if (tarDbCnt !== undefined) value.tarDbCnt = tarDbCnt;
  return { value, problems };
}
