import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { interpretAgentCfg, interpretInstallAgentCfg, interpretInstallCfg } from "./interpret-cfg";
import { cfgGet, parseCfg } from "./parse-cfg";
import { renderCfg } from "./render-cfg";
import type { CfgFile } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

function parsed(name: string): CfgFile {
  const r = parseCfg(fixture(name));
  if (!r.ok) throw new Error(`${r.error.message} @${r.error.lineNumber}`);
  expect(r.value.warnings).toEqual([]);
  return r.value;
}

describe("ProSync cfg files (seed 003)", () => {
  it("prs_install_agent.cfg: four agents with indexed keys and line numbers", () => {
    const cfg = parsed("prs_install_agent.cfg");
    expect(cfgGet(cfg, "AGENT_ID_1")).toEqual({ key: "AGENT_ID_1", base: "AGENT_ID", index: 1, value: "agent2", lineNumber: 9 });
    const { value, problems } = interpretInstallAgentCfg(cfg);
    expect(problems).toEqual([]);
    expect(value).toEqual({
      agentCnt: 4,
      agents: [
        { index: 0, id: "agent1", host: "172.19.0.11", port: 7600, cmGroup: "CM1", cmId: 0 },
        { index: 1, id: "agent2", host: "172.19.0.12", port: 7700, cmGroup: "CM1", cmId: 1 },
        { index: 2, id: "agent3", host: "172.19.0.13", port: 7800, cmGroup: "CM2", cmId: 0 },
        { index: 3, id: "agent4", host: "172.19.0.14", port: 7900, cmGroup: "CM2", cmId: 1 },
      ],
    });
  });

  it("prs_agent_agent1.cfg: spaced assignments, tab-separated trailing comments, CM parameters", () => {
    const cfg = parsed("prs_agent_agent1.cfg");
    expect(cfgGet(cfg, "LISTENER_PORT")).toMatchObject({ value: "7603", lineNumber: 10 });
    expect(cfgGet(cfg, "PRS_AGENT_PROC_STARTUP_TIMEOUT")).toMatchObject({ value: "10", comment: "Dependency Param : USE_CM=Y", lineNumber: 23 });
    expect(interpretAgentCfg(cfg)).toEqual({
      value: {
        listenerPort: 7603,
        logDir: "/home/prosync/example/var/agent/agent1/log",
        useCm: true,
        procMaxFailCnt: 10,
        procStartupTimeout: 10,
        procStatusReplyTimeout: 10,
        procStatusInterval: 3,
        cmProbeTimeout: 0,
      },
      problems: [],
    });
  });

  it("agent cfg: defaults, and CM parameters without USE_CM=Y are flagged by line", () => {
    const r = parseCfg("LISTENER_PORT = 7603\nPRS_AGENT_PROC_STATUS_INTERVAL = 3\n");
    if (!r.ok) throw new Error("parse");
    expect(interpretAgentCfg(r.value)).toEqual({
      value: { listenerPort: 7603, useCm: false, procMaxFailCnt: 10, procStatusInterval: 3, cmProbeTimeout: 0 },
      problems: [{ message: "PRS_AGENT_PROC_STATUS_INTERVAL has no effect unless USE_CM=Y", lineNumber: 2 }],
    });
  });

  it("prs_install.cfg: instance, process agent lists, source and target", () => {
    const cfg = parsed("prs_install.cfg");
    expect(cfgGet(cfg, "EXT_CNT")?.lineNumber).toBe(35);
    const { value, problems } = interpretInstallCfg(cfg);
    expect(problems).toEqual([]);
    expect(value).toEqual({
      instanceId: "TAC2TAC",
      prsUser: "TAC2TAC",
      delimiter: ",",
      ext: [
        ["agent1", "agent2"],
        ["agent2", "agent1"],
      ],
      apply: { port: 7620, agents: ["agent3", "agent4"] },
      llob: { port: 7630, agents: ["agent1", "agent2"] },
      srcDbType: "TIBERO",
      srcDbName: "tibero",
      srcDbCnt: 2,
      srcAliases: ["tibero1", "tibero2"],
      tarDbType: "TIBERO",
      tarDbName: "tibero_tar",
      tarDbCnt: 2,
    });
  });

  it("flags EXT_CNT != SRC_DB_CNT and AGENT_CNT mismatches with their lines", () => {
    const install = parseCfg(fixture("prs_install.cfg").replace("SRC_DB_CNT=2", "SRC_DB_CNT=3"));
    if (!install.ok) throw new Error("parse");
    expect(interpretInstallCfg(install.value).problems).toEqual([{ message: "EXT_CNT (2) must equal SRC_DB_CNT (3)", lineNumber: 35 }]);
    const agents = parseCfg(fixture("prs_install_agent.cfg").replace("AGENT_CNT=4", "AGENT_CNT=3"));
    if (!agents.ok) throw new Error("parse");
    expect(interpretInstallAgentCfg(agents.value).problems).toEqual([{ message: "AGENT_ID_3 is beyond AGENT_CNT=3", lineNumber: 21 }]);
  });

  it("names the garbled line; duplicates are kept and flagged", () => {
    expect(parseCfg("AGENT_CNT=1\nAGENT_ID_0 agent1\n")).toEqual({ ok: false, error: { message: "expected KEY=VALUE or a # comment", line: "AGENT_ID_0 agent1", lineNumber: 2 } });
    const r = parseCfg("A=1\nA=2\n");
    expect(r.ok && r.value.warnings).toEqual([{ message: "duplicate key A (first at line 1)", lineNumber: 2 }]);
    expect(r.ok && cfgGet(r.value, "A")?.value).toBe("2");
  });

  it("parse(render(x)) == x", () => {
    const entry = fc.record({
      base: fc.stringMatching(/^[A-Z][A-Z_]{0,15}[A-Z]$/),
      index: fc.option(fc.nat({ max: 20 }), { nil: undefined }),
      value: fc.stringMatching(/^[A-Za-z0-9_.,/:%-]{0,20}$/),
      comment: fc.option(fc.stringMatching(/^[^\n\r]{0,20}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 10 }), fc.constantFrom("compact" as const, "spaced" as const), (items, style) => {
        const cfg: CfgFile = {
          entries: items.map((it, i) => {
            const e: CfgFile["entries"][number] = { key: it.index !== undefined ? `${it.base}_${it.index}` : it.base, base: it.base, value: it.value, lineNumber: i + 1 };
            if (it.index !== undefined) e.index = it.index;
            if (it.comment !== undefined) e.comment = it.comment;
            return e;
          }),
        };
        const r = parseCfg(renderCfg(cfg, style));
        if (!r.ok) throw new Error(r.error.message);
        expect({ entries: r.value.entries }).toEqual(cfg);
      }),
    );
  });
});
