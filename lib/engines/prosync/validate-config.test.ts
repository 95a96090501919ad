import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interpretInstallAgentCfg } from "./interpret-cfg";
import { parseCfg } from "./parse-cfg";
import type { InstallAgent } from "./types";
import {
  renderAgentCfg,
  renderAgentCmScript,
  renderInstallAgentCfg,
  renderInstallCfg,
  validateAgentCfg,
  validateCmScript,
  validateInstallAgentCfg,
  validateInstallCfg,
  validateProsyncConfig,
  type Finding,
  type Rendered,
} from "./validate-config";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const brief = (fs: Finding[]) => fs.map((f) => [f.severity, f.line, f.key]);
const text = (r: Rendered) => {
  if (!r.ok) throw new Error(r.error);
  return r.text;
};

const AGENTS = validateInstallAgentCfg(fixture("prs_install_agent.cfg")).agents;
const agent1 = AGENTS[0] as InstallAgent;

describe("prs_install_agent.cfg", () => {
  it("the seed's file passes and yields its four agents", () => {
    const r = validateInstallAgentCfg(fixture("prs_install_agent.cfg"));
    expect(r.findings).toEqual([]);
    expect(r.agents.map((a) => a.id)).toEqual(["agent1", "agent2", "agent3", "agent4"]);
  });

  it("AGENT_CNT must match the agents listed", () => {
    const fs = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_CNT=4", "AGENT_CNT=3")).findings;
    expect(fs[0]).toEqual({ severity: "error", file: "prs_install_agent.cfg", line: 21, key: "AGENT_ID_3", message: "AGENT_ID_3 is beyond AGENT_CNT=3", fix: "Raise AGENT_CNT to cover AGENT_ID_3, or remove that agent." });
    // agent4 no longer counts, so CM2 is left with one agent
    expect(brief(fs.slice(1))).toEqual([["warning", 18, "AGENT_CM_GROUP_2"]]);
    expect(brief(validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_CNT=4", "AGENT_CNT=5")).findings)).toEqual([["error", 1, "AGENT_ID_4"]]);
  });

  it("unique ids and host:port", () => {
    const dupId = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_ID_1=agent2", "AGENT_ID_1=agent1")).findings;
    expect(brief(dupId)).toEqual([["error", 9, "AGENT_ID"]]);
    const dupPort = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_HOST_1=172.19.0.12", "AGENT_HOST_1=172.19.0.11").replace("AGENT_PORT_1=7700", "AGENT_PORT_1=7600")).findings;
    expect(brief(dupPort)).toEqual([["error", 11, "AGENT_PORT_1"]]);
    expect(dupPort[0]?.message).toBe("agent2 listens on 172.19.0.11:7600, as does agent1");
  });

  it("CM groups and CM IDs", () => {
    const sameId = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_CM_ID_1=1", "AGENT_CM_ID_1=0")).findings;
    expect(brief(sameId)).toEqual([["error", 13, "AGENT_CM_ID_1"]]);
    const noId = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_CM_ID_0=0\n", "")).findings;
    expect(brief(noId)).toEqual([["error", 6, "AGENT_CM_ID_0"]]);
    const noGroup = validateInstallAgentCfg(fixture("prs_install_agent.cfg").replace("AGENT_CM_GROUP_0=CM1\n", "")).findings;
    expect(brief(noGroup)).toEqual([
      ["error", 6, "AGENT_CM_GROUP_0"],
      ["warning", 11, "AGENT_CM_GROUP_1"],
    ]);
  });

  it("a garbled line is a finding naming the line", () => {
    expect(brief(validateInstallAgentCfg("AGENT_CNT=1\nAGENT_ID_0 agent1\n").findings)).toEqual([["error", 2, ""]]);
  });

  it("the generator renders the seed's file from its agents", () => {
    expect(text(renderInstallAgentCfg(AGENTS.map(({ index: _index, ...a }) => a)))).toBe(fixture("prs_install_agent.cfg"));
    expect(renderInstallAgentCfg([{ id: "a b", host: "h", port: 0 }])).toMatchObject({ ok: false });
  });
});

describe("prs_agent_<id>.cfg", () => {
  it("the seed's agent1 cfg passes", () => {
    expect(validateAgentCfg(fixture("prs_agent_agent1.cfg"), "prs_agent_agent1.cfg", agent1)).toEqual([]);
  });

  it("without USE_CM=Y: a warning for each CM parameter set, and for the CM-grouped agent", () => {
    const fs = validateAgentCfg(fixture("prs_agent_agent1.cfg").replace("USE_CM = Y", "USE_CM = N"), "prs_agent_agent1.cfg", agent1);
    expect(brief(fs)).toEqual([
      ["warning", 22, "PRS_AGENT_PROC_MAX_FAIL_CNT"],
      ["warning", 23, "PRS_AGENT_PROC_STARTUP_TIMEOUT"],
      ["warning", 24, "PRS_AGENT_PROC_STATUS_REPLY_TIMEOUT"],
      ["warning", 25, "PRS_AGENT_PROC_STATUS_INTERVAL"],
      ["warning", 26, "PRS_AGENT_CM_PROBE_TIMEOUT"],
      ["warning", 21, "USE_CM"],
    ]);
    expect(fs[0]?.fix).toBe("Set USE_CM = Y, or remove PRS_AGENT_PROC_MAX_FAIL_CNT.");
  });

  it("non-numeric values and a file named for another agent", () => {
    const fs = validateAgentCfg(fixture("prs_agent_agent1.cfg").replace("PRS_AGENT_PROC_STATUS_INTERVAL = 3", "PRS_AGENT_PROC_STATUS_INTERVAL = often"), "prs_agent_agent2.cfg", agent1);
    expect(brief(fs)).toEqual([
      ["error", 25, "PRS_AGENT_PROC_STATUS_INTERVAL"],
      ["error", 0, ""],
    ]);
  });

  it("the generator renders a cfg that parses to the seed's CM values", () => {
    const rendered = text(renderAgentCfg({ listenerPort: 7603, logDir: "/home/prosync/example/var/agent/agent1/log", useCm: true }));
    expect(validateAgentCfg(rendered, "prs_agent_agent1.cfg", agent1)).toEqual([]);
    const strip = (t: string) => t.split("\n").map((l) => l.replace(/\s*#Dependency.*$/, "").trimEnd());
    expect(strip(rendered)).toEqual(strip(fixture("prs_agent_agent1.cfg")));
    expect(text(renderAgentCfg({ listenerPort: 7603, logDir: "/x", useCm: false }))).not.toContain("PRS_AGENT_");
  });
});

describe("prs_install.cfg", () => {
  it("the seed's file passes against the seed's agents", () => {
    expect(validateInstallCfg(fixture("prs_install.cfg"), "prs_install.cfg", AGENTS)).toEqual([]);
  });

  it("EXT_CNT = SRC_DB_CNT", () => {
    const fs = validateInstallCfg(fixture("prs_install.cfg").replace("SRC_DB_CNT=2", "SRC_DB_CNT=3"), "prs_install.cfg", AGENTS);
    expect(brief(fs)).toEqual([
      ["error", 35, "EXT_CNT"],
      ["warning", 64, "SRC_DB_CNT"],
    ]);
  });

  it("agent lists refer to defined agents", () => {
    const fs = validateInstallCfg(fixture("prs_install.cfg").replace("APPLY_AGENT_ID_LIST=agent3,agent4", "APPLY_AGENT_ID_LIST=agent3,agent5"), "prs_install.cfg", AGENTS);
    expect(brief(fs)).toEqual([["error", 41, "APPLY_AGENT_ID_LIST"]]);
    expect(fs[0]?.message).toBe("APPLY_AGENT_ID_LIST names agent agent5, which prs_install_agent.cfg does not define");
  });

  it("ports: numeric, distinct, not an agent's port", () => {
    expect(brief(validateInstallCfg(fixture("prs_install.cfg").replace("LLOB_PORT=7630", "LLOB_PORT=7620"), "prs_install.cfg", AGENTS))).toEqual([["error", 44, "LLOB_PORT"]]);
    expect(brief(validateInstallCfg(fixture("prs_install.cfg").replace("LLOB_PORT=7630", "LLOB_PORT=7600"), "prs_install.cfg", AGENTS))).toEqual([["error", 44, "LLOB_PORT"]]);
    expect(brief(validateInstallCfg(fixture("prs_install.cfg").replace("APPLY_PORT=7620", "APPLY_PORT=x"), "prs_install.cfg", AGENTS))).toEqual([["error", 40, "APPLY_PORT"]]);
  });

  it("the generator renders a cfg with the seed's values that passes", () => {
    const rendered = text(
      renderInstallCfg({
        instanceId: "TAC2TAC",
        prsUser: "TAC2TAC",
        prsPwd: "TAC2TAC",
        ext: [["agent1", "agent2"], ["agent2", "agent1"]],
        apply: { port: 7620, agents: ["agent3", "agent4"] },
        llob: { port: 7630, agents: ["agent1", "agent2"] },
        src: { type: "TIBERO", name: "tibero", installUser: "sys", installPwd: "tibero", cnt: 2, aliases: ["tibero1", "tibero2"] },
        tar: { type: "TIBERO", name: "tibero_tar", installUser: "sys", installPwd: "tibero", cnt: 2 },
      }),
    );
    expect(validateInstallCfg(rendered, "prs_install.cfg", AGENTS)).toEqual([]);
    const entries = (t: string) => {
      const r = parseCfg(t);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.entries.map((e) => [e.key, e.value]);
    };
    expect(entries(rendered)).toEqual(entries(fixture("prs_install.cfg")));
    const bad = renderInstallCfg({ instanceId: "X", prsUser: "X", prsPwd: "X", ext: [["a"]], apply: { port: 1, agents: ["a"] }, llob: { port: 1, agents: ["a"] }, src: { type: "T", name: "t", installUser: "s", installPwd: "p", cnt: 2 }, tar: { type: "T", name: "t", installUser: "s", installPwd: "p", cnt: 1 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/EXT_CNT = SRC_DB_CNT[\s\S]*LLOB_PORT/);
  });
});

describe("prs_<n>.sh", () => {
  it("the seed's script (#!/bin/sh + source) is an error naming exit 127; with bash it passes", () => {
    const fs = validateCmScript(fixture("prs_0.sh"), "prs_0.sh", AGENTS);
    expect(fs).toEqual([
      {
        severity: "error",
        file: "prs_0.sh",
        line: 1,
        key: "#!",
        message: "the script runs under /bin/sh; `source` (line 7) does not exist in POSIX sh, so CM's START ends with exit 127",
        fix: "Make the first line #!/bin/bash.",
      },
    ]);
    expect(validateCmScript(fixture("prs_0.sh").replace("#!/bin/sh", "#!/bin/bash"), "prs_0.sh", AGENTS)).toEqual([]);
  });

  it("TB_HOME, PRS_HOME exported and AGENT_ID set (and defined, matching the script's CM ID)", () => {
    const bash = fixture("prs_0.sh").replace("#!/bin/sh", "#!/bin/bash");
    expect(brief(validateCmScript(bash.replace("export TB_HOME", "TB_HOME"), "prs_0.sh"))).toEqual([["error", 3, "TB_HOME"]]);
    expect(brief(validateCmScript(bash.replace(/export PRS_HOME=.*\n/, ""), "prs_0.sh"))).toEqual([["error", 0, "PRS_HOME"]]);
    expect(brief(validateCmScript(bash.replace(/AGENT_ID=agent1.*\n/, ""), "prs_0.sh"))).toEqual([["error", 0, "AGENT_ID"]]);
    expect(brief(validateCmScript(bash.replace("AGENT_ID=agent1", "AGENT_ID=agent9"), "prs_0.sh", AGENTS))).toEqual([["error", 5, "AGENT_ID"]]);
    expect(brief(validateCmScript(bash, "prs_1.sh", AGENTS))).toEqual([["warning", 5, "AGENT_ID"]]);
  });

  it("the generator writes the seed's script with #!/bin/bash, which passes", () => {
    const rendered = text(renderAgentCmScript({ tbHome: "/home/tibero/tibero/tibero7", prsHome: "/home/prosync/example", agentId: "agent1" }));
    expect(rendered).toBe(fixture("prs_0.sh").replace("#!/bin/sh", "#!/bin/bash"));
    expect(validateCmScript(rendered, "prs_0.sh", AGENTS)).toEqual([]);
    expect(renderAgentCmScript({ tbHome: "relative", prsHome: "/p", agentId: "a" }).ok).toBe(false);
  });
});

describe("validateProsyncConfig", () => {
  it("the seed's set: only the /bin/sh script is flagged", () => {
    const fs = validateProsyncConfig({
      installAgentCfg: { fileName: "prs_install_agent.cfg", text: fixture("prs_install_agent.cfg") },
      agentCfgs: [{ fileName: "prs_agent_agent1.cfg", text: fixture("prs_agent_agent1.cfg") }],
      installCfg: { fileName: "prs_install.cfg", text: fixture("prs_install.cfg") },
      cmScripts: [{ fileName: "prs_0.sh", text: fixture("prs_0.sh") }],
    });
    expect(fs.map((f) => [f.file, f.key])).toEqual([["prs_0.sh", "#!"]]);
  });

  it("an agent cfg for an unknown agent is named", () => {
    const fs = validateProsyncConfig({
      installAgentCfg: { fileName: "prs_install_agent.cfg", text: fixture("prs_install_agent.cfg") },
      agentCfgs: [{ fileName: "prs_agent_agent9.cfg", text: fixture("prs_agent_agent1.cfg") }],
    });
    expect(fs.map((f) => [f.severity, f.file, f.message])).toEqual([["warning", "prs_agent_agent9.cfg", "no agent agent9 in prs_install_agent.cfg"]]);
  });

  it("interpret-cfg's seed reading is the one the validator uses", () => {
    const r = parseCfg(fixture("prs_install_agent.cfg"));
    expect(r.ok && interpretInstallAgentCfg(r.value).value.agents).toEqual(AGENTS);
  });
});
