import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inspectCmScript, judgeCmScript, renderCmScript } from "./cm-script";
import { parseStatus } from "./parse-status";
import { PRS_ADM_BANNER, renderStatus } from "./render-status";
import type { PrsStatus } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("prs_adm status (seed 003 §6)", () => {
  it("parses the seed's session: four agents and four processes running", () => {
    expect(parseStatus(fixture("prs_adm-status.txt"))).toEqual({
      ok: true,
      value: {
        agents: [
          { id: "agent1", host: "172.19.0.11", port: 7600, cmGroup: "CM1", cmId: 0, state: "running" },
          { id: "agent2", host: "172.19.0.12", port: 7700, cmGroup: "CM1", cmId: 1, state: "running" },
          { id: "agent3", host: "172.19.0.13", port: 7800, cmGroup: "CM2", cmId: 0, state: "running" },
          { id: "agent4", host: "172.19.0.14", port: 7900, cmGroup: "CM2", cmId: 1, state: "running" },
        ],
        instances: [
          {
            instanceId: "prosync",
            processes: [
              { name: "prosync_ext1", index: 1, state: "running", agent: { id: "agent1", host: "172.19.0.11", port: 7600 } },
              { name: "prosync_ext2", index: 2, state: "running", agent: { id: "agent2", host: "172.19.0.12", port: 7700 } },
              { name: "prosync_apply1", state: "running", agent: { id: "agent3", host: "172.19.0.13", port: 7800 } },
              { name: "prosync_llob", index: 1, state: "running", agent: { id: "agent1", host: "172.19.0.11", port: 7600 } },
            ],
          },
        ],
        warnings: [],
      },
    });
  });

  it("re-renders the seed session byte for byte", () => {
    const r = parseStatus(fixture("prs_adm-status.txt"));
    if (!r.ok) throw new Error(r.error.message);
    expect(`$ prs_adm\n${PRS_ADM_BANNER}Admin> status\n${renderStatus(r.value)}`).toBe(fixture("prs_adm-status.txt"));
  });

  it("keeps unknown states and fields, flagged", () => {
    const r = parseStatus("prs_agent ID: a, HOST: h, PORT: 1, ZONE: z is hung\nInstance ID: [i]\ni_ext1 (1) is starting\n");
    expect(r).toEqual({
      ok: true,
      value: {
        agents: [{ id: "a", host: "h", port: 1, state: "hung", extra: { ZONE: "z" } }],
        instances: [{ instanceId: "i", processes: [{ name: "i_ext1", index: 1, state: "starting" }] }],
        warnings: [
          { message: "unknown agent field(s) ZONE", lineNumber: 1 },
          { message: "unknown state 'hung'", lineNumber: 1 },
          { message: "unknown state 'starting'", lineNumber: 3 },
        ],
      },
    });
  });

  it("names the garbled line", () => {
    const lines = fixture("prs_adm-status.txt").split("\n");
    lines[9] = "prs_agent ID agent2 HOST 172.19.0.12 is running";
    expect(parseStatus(lines.join("\n"))).toEqual({ ok: false, error: { message: "agent line needs 'ID: x, HOST: y, PORT: n'", line: lines[9], lineNumber: 10 } });
    expect(parseStatus("prosync_ext1 (1) is running\n")).toMatchObject({ ok: false, error: { lineNumber: 1 } });
    expect(parseStatus("Instance ID: [p]\n%%% garbage %%%\n")).toMatchObject({ ok: false, error: { message: "unrecognised status line", lineNumber: 2 } });
  });

  it("parse(render(x)) == x", () => {
    const id = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    const host = fc.ipV4();
    const port = fc.nat({ max: 65535 });
    const state = fc.constantFrom("running", "not running");
    const agent = fc.record({ id, host, port, cmGroup: fc.option(id, { nil: undefined }), cmId: fc.option(fc.nat({ max: 9 }), { nil: undefined }), state }).map((a) => {
      const out: PrsStatus["agents"][number] = { id: a.id, host: a.host, port: a.port, state: a.state };
      if (a.cmGroup !== undefined) out.cmGroup = a.cmGroup;
      if (a.cmId !== undefined) out.cmId = a.cmId;
      return out;
    });
    const proc = fc.record({ name: id, index: fc.option(fc.nat({ max: 9 }), { nil: undefined }), state, agent: fc.option(fc.record({ id, host, port }), { nil: undefined }) }).map((p) => {
      const out: PrsStatus["instances"][number]["processes"][number] = { name: p.name, state: p.state };
      if (p.index !== undefined) out.index = p.index;
      if (p.agent !== undefined) out.agent = p.agent;
      return out;
    });
    const status = fc.record({ agents: fc.array(agent, { maxLength: 5 }), instances: fc.array(fc.record({ instanceId: id, processes: fc.array(proc, { maxLength: 5 }) }), { maxLength: 3 }) });
    fc.assert(
      fc.property(status, (s) => {
        expect(parseStatus(renderStatus(s))).toEqual({ ok: true, value: { ...s, warnings: [] } });
      }),
    );
  });
});

describe("CM agent script prs_<n>.sh (seed 003 §2)", () => {
  it("the generator reproduces the seed's script and the seed's script fails under /bin/sh with 127", () => {
    const seed = fixture("prs_0.sh");
    expect(renderCmScript({ tbHome: "/home/tibero/tibero/tibero7", prsHome: "/home/prosync/example", agentId: "agent1" })).toBe(seed);
    const info = inspectCmScript(seed);
    expect(info).toMatchObject({ interpreter: "/bin/sh", sourceLine: 7, exports: { TB_HOME: "/home/tibero/tibero/tibero7", PRS_HOME: "/home/prosync/example" } });
    expect(info.assignments.AGENT_ID).toBe("agent1");
    expect(judgeCmScript(info, "/x/prs_0.sh")).toEqual({ ok: false, exitCode: 127, message: "/x/prs_0.sh: 7: source: not found" });
    expect(judgeCmScript(inspectCmScript(seed.replace("#!/bin/sh", "#!/bin/bash")), "/x/prs_0.sh")).toEqual({ ok: true });
  });
});
