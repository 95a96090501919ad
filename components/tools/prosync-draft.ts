// The ProSync editor's form state (strings, as typed) and its conversion to the generate request.
// Numbers are sent as typed; the server's schema names any that are not numbers, field by field.

export const CM_PARAMS = [
  { name: "procMaxFailCnt", key: "PRS_AGENT_PROC_MAX_FAIL_CNT", initial: "10" },
  { name: "procStartupTimeout", key: "PRS_AGENT_PROC_STARTUP_TIMEOUT", initial: "10" },
  { name: "procStatusReplyTimeout", key: "PRS_AGENT_PROC_STATUS_REPLY_TIMEOUT", initial: "10" },
  { name: "procStatusInterval", key: "PRS_AGENT_PROC_STATUS_INTERVAL", initial: "3" },
  { name: "cmProbeTimeout", key: "PRS_AGENT_CM_PROBE_TIMEOUT", initial: "0" },
] as const;
export type CmParamName = (typeof CM_PARAMS)[number]["name"];

export type Shell = "/bin/bash" | "/bin/sh";

export type AgentDraft = {
  key: number;
  id: string;
  host: string;
  port: string;
  cmGroup: string;
  cmId: string;
  listenerPort: string;
  logDir: string;
  useCm: boolean;
  cm: Record<CmParamName, string>;
  tbHome: string;
  prsHome: string;
  shell: Shell;
};

export type DbDraft = { type: string; name: string; installUser: string; installPwd: string; cnt: string };

export type InstallDraft = {
  instanceId: string;
  prsUser: string;
  prsPwd: string;
  delimiter: string;
  /** One line per source instance: that Ext process's agents. */
  ext: string;
  applyPort: string;
  applyAgents: string;
  llobPort: string;
  llobAgents: string;
  src: DbDraft & { aliases: string };
  tar: DbDraft;
};

const cmDefaults = (): Record<CmParamName, string> => Object.fromEntries(CM_PARAMS.map((p) => [p.name, p.initial])) as Record<CmParamName, string>;

export function agentDraft(key: number, n: number): AgentDraft {
  return {
    key,
    id: `agent${n}`,
    host: `172.19.0.${10 + n}`,
    port: String(7500 + 100 * n),
    cmGroup: "CM1",
    cmId: String(n - 1),
    listenerPort: String(7503 + 100 * n),
    logDir: `/home/prosync/example/var/agent/agent${n}/log`,
    useCm: true,
    cm: cmDefaults(),
    tbHome: "/home/tibero/tibero/tibero7",
    prsHome: "/home/prosync/example",
    shell: "/bin/bash",
  };
}

// Seed 003's example instance, trimmed to two agents.
export function installDraft(): InstallDraft {
  return {
    instanceId: "TAC2TAC",
    prsUser: "TAC2TAC",
    prsPwd: "TAC2TAC",
    delimiter: ",",
    ext: "agent1,agent2\nagent2,agent1",
    applyPort: "7620",
    applyAgents: "agent2,agent1",
    llobPort: "7630",
    llobAgents: "agent1,agent2",
    src: { type: "TIBERO", name: "tibero", installUser: "sys", installPwd: "tibero", cnt: "2", aliases: "tibero1,tibero2" },
    tar: { type: "TIBERO", name: "tibero_tar", installUser: "sys", installPwd: "tibero", cnt: "2" },
  };
}

const num = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s.trim()));
/** A required number: empty becomes NaN, which the server reports as "expected number" on that field. */
const req = (s: string): number => num(s) ?? Number.NaN;
const list = (s: string, delimiter: string): string[] => s.split(delimiter || ",").map((x) => x.trim()).filter((x) => x !== "");
const text = (s: string): string | undefined => (s.trim() === "" ? undefined : s.trim());

export function generateRequest(agents: AgentDraft[], install: InstallDraft) {
  const d = install.delimiter;
  return {
    agents: agents.map((a) => {
      const cmId = num(a.cmId);
      return {
        id: a.id.trim(),
        host: a.host.trim(),
        port: req(a.port),
        cmGroup: text(a.cmGroup),
        cmId,
        listenerPort: req(a.listenerPort),
        logDir: a.logDir.trim(),
        useCm: a.useCm,
        cm: Object.fromEntries(CM_PARAMS.map((p) => [p.name, req(a.cm[p.name])])),
        // The CM script is generated for agents with a CM ID: its name is prs_<cm id>.sh.
        script: cmId === undefined ? undefined : { tbHome: a.tbHome.trim(), prsHome: a.prsHome.trim(), shell: a.shell },
      };
    }),
    install: {
      instanceId: install.instanceId.trim(),
      prsUser: install.prsUser.trim(),
      prsPwd: install.prsPwd,
      delimiter: d,
      ext: install.ext.split("\n").filter((l) => l.trim() !== "").map((l) => list(l, d)),
      apply: { port: req(install.applyPort), agents: list(install.applyAgents, d) },
      llob: { port: req(install.llobPort), agents: list(install.llobAgents, d) },
      src: { ...dbRequest(install.src), aliases: install.src.aliases.trim() === "" ? undefined : list(install.src.aliases, ",") },
      tar: dbRequest(install.tar),
    },
  };
}

function dbRequest(db: DbDraft) {
  return { type: db.type.trim(), name: db.name.trim(), installUser: db.installUser.trim(), installPwd: db.installPwd, cnt: req(db.cnt) };
}
