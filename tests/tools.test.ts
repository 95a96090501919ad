import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeEstate, tiberoCluster } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { seedLabInventory } from "../lab/seed-inventory";
import { db } from "@/lib/db";
import { defaultPool } from "@/lib/ssh";
import { generateProsyncConfigAction, validateProsyncConfigAction } from "@/lib/tools/prosync-config";
import { validateTipsAction } from "@/lib/tools/tibero-tips";
import { readClusterTipsAction } from "@/lib/tools/tibero-tips-read";
import { useTestDatabase } from "./db";
import { makeCluster, signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();

type Finding = { severity: string; file: string; line: number; key: string; message: string; fix: string };
const findingsOf = (json: { data?: unknown }) => (json.data as { findings: Finding[] }).findings;

const tip = (thread: number, extra = "") =>
  `MEMORY_TARGET=6144M\nTOTAL_SHM_SIZE=4096M\nDB_CACHE_SIZE=2048M\nCLUSTER_DATABASE=Y\nTHREAD=${thread}\nUNDO_TABLESPACE=UNDO${thread}\nLOCAL_CLUSTER_ADDR=192.168.1.${thread + 1}\nLOCAL_CLUSTER_PORT=12345\nCM_PORT=30000\n${extra}`;

let lead = "";
let dba = "";
let auditor = "";

beforeAll(async () => {
  lead = (await signedInAs("LEAD")).cookie;
  dba = (await signedInAs("DBA")).cookie;
  auditor = (await signedInAs("AUDITOR")).cookie;
});

describe("POST /api/v1/tools/tibero-tips/validate", () => {
  it("validates pasted tips together and names file, line and fix", async () => {
    const res = await callAction(validateTipsAction, lead, {
      files: [
        { fileName: "tac1.tip", text: tip(0), cmUiPort: 30000 },
        { fileName: "tac2.tip", text: tip(0).replace("UNDO0", "UNDO1"), cmUiPort: 30000 },
      ],
    });
    expect(res.status).toBe(200);
    const dup = findingsOf(res.json).find((f) => f.key === "THREAD");
    expect(dup).toMatchObject({ severity: "error", file: "tac2.tip", line: 5, message: expect.stringContaining("also used by tac1.tip") });
    expect(dup?.fix).toMatch(/unused THREAD/);
  });

  it("finds nothing in a correct pair, and checks CM_PORT against CM_UI_PORT", async () => {
    const good = await callAction(validateTipsAction, lead, { files: [{ fileName: "tac1.tip", text: tip(0) }, { fileName: "tac2.tip", text: tip(1) }], creating: true, maxInstances: 4 });
    expect(findingsOf(good.json)).toEqual([]);
    const bad = await callAction(validateTipsAction, lead, { files: [{ fileName: "tac1.tip", text: tip(0), cmUiPort: 8645 }] });
    expect(findingsOf(bad.json)).toContainEqual(expect.objectContaining({ file: "tac1.tip", line: 9, key: "CM_PORT", fix: "Set CM_PORT=8645." }));
  });

  it("puts bad input on the field, and refuses a role without inventory:read", async () => {
    const res = await callAction(validateTipsAction, lead, { files: [{ fileName: "", text: "  ", cmUiPort: 70000 }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error?.fieldErrors ?? {}).sort()).toEqual(["files.0.cmUiPort", "files.0.fileName", "files.0.text"]);
    expect((await callAction(validateTipsAction, auditor, { files: [{ fileName: "a.tip", text: tip(0) }] })).status).toBe(403);
    expect((await callAction(validateTipsAction, "", { files: [] })).status).toBe(401);
  });
});

const seedAgents = [
  { id: "agent1", host: "172.19.0.11", port: 7600, cmGroup: "CM1", cmId: 0, listenerPort: 7603, logDir: "/var/prs/agent1/log", useCm: true, script: { tbHome: "/home/tibero/tibero7", prsHome: "/home/prosync", shell: "/bin/bash" } },
  { id: "agent2", host: "172.19.0.12", port: 7700, cmGroup: "CM1", cmId: 1, listenerPort: 7703, logDir: "/var/prs/agent2/log", useCm: true, script: { tbHome: "/home/tibero/tibero7", prsHome: "/home/prosync", shell: "/bin/bash" } },
];
const db2 = { type: "TIBERO", name: "tibero", installUser: "sys", installPwd: "tibero", cnt: 2 };
const install = { instanceId: "TAC2TAC", prsUser: "TAC2TAC", prsPwd: "x", ext: [["agent1", "agent2"], ["agent2", "agent1"]], apply: { port: 7620, agents: ["agent2", "agent1"] }, llob: { port: 7630, agents: ["agent1", "agent2"] }, src: db2, tar: db2 };

describe("POST /api/v1/tools/prosync-config/generate", () => {
  it("generates the four kinds of file, which validate clean", async () => {
    const res = await callAction(generateProsyncConfigAction, lead, { agents: seedAgents, install });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const data = res.json.data as { files: { fileName: string; text: string }[]; findings: Finding[] };
    expect(data.files.map((f) => f.fileName)).toEqual(["prs_install_agent.cfg", "prs_agent_agent1.cfg", "prs_agent_agent2.cfg", "prs_install.cfg", "agent1/prs_0.sh", "agent2/prs_1.sh"]);
    expect(data.files[0]?.text).toContain("AGENT_CNT=2\n");
    expect(data.files[4]?.text.startsWith("#!/bin/bash\n")).toBe(true);
    expect(data.findings).toEqual([]);
  });

  it("warns that an agent script under /bin/sh ends with exit 127, and that USE_CM=N leaves CM out", async () => {
    const agents = [{ ...seedAgents[0], script: { ...seedAgents[0]!.script, shell: "/bin/sh" } }, { ...seedAgents[1], useCm: false }];
    const res = await callAction(generateProsyncConfigAction, lead, { agents, install });
    const findings = findingsOf(res.json);
    expect(findings).toContainEqual(expect.objectContaining({ file: "agent1/prs_0.sh", line: 1, severity: "error", message: expect.stringContaining("exit 127"), fix: "Make the first line #!/bin/bash." }));
    expect(findings).toContainEqual(expect.objectContaining({ file: "prs_agent_agent2.cfg", key: "USE_CM", fix: "Set USE_CM = Y." }));
  });

  it("names the fields that are wrong, including cross-field rules", async () => {
    const res = await callAction(generateProsyncConfigAction, lead, { agents: [{ ...seedAgents[0], port: 0, id: "bad id" }], install: { ...install, ext: [["agent1"]] } });
    expect(res.status).toBe(400);
    expect(res.json.error?.fieldErrors).toMatchObject({ "agents.0.port": expect.any(Array), "agents.0.id": expect.any(Array), "install.ext": ["one Ext agent list per source instance (EXT_CNT = SRC_DB_CNT)"] });
  });
});

describe("POST /api/v1/tools/prosync-config/validate", () => {
  it("validates pasted files against each other", async () => {
    const installAgent = "AGENT_CNT=2\nAGENT_ID_0=agent1\nAGENT_HOST_0=10.0.0.1\nAGENT_PORT_0=7600\nAGENT_CM_GROUP_0=CM1\nAGENT_CM_ID_0=0\nAGENT_ID_1=agent2\nAGENT_HOST_1=10.0.0.2\nAGENT_PORT_1=7700\nAGENT_CM_GROUP_1=CM1\nAGENT_CM_ID_1=1\n";
    const agentCfg = "LISTENER_PORT = 7603\nUSE_CM = N\nPRS_AGENT_PROC_MAX_FAIL_CNT = 10\n";
    const res = await callAction(validateProsyncConfigAction, lead, {
      files: [
        { fileName: "prs_install_agent.cfg", text: installAgent },
        { fileName: "prs_agent_agent1.cfg", text: agentCfg },
        { fileName: "prs_0.sh", text: "#!/bin/sh\nexport TB_HOME=/t\nexport PRS_HOME=/p\nAGENT_ID=agent9\nsource $PRS_HOME/bin/prs_cm.sh\n" },
      ],
    });
    expect(res.status).toBe(200);
    const findings = findingsOf(res.json);
    expect(findings).toContainEqual(expect.objectContaining({ file: "prs_agent_agent1.cfg", line: 3, key: "PRS_AGENT_PROC_MAX_FAIL_CNT", fix: "Set USE_CM = Y, or remove PRS_AGENT_PROC_MAX_FAIL_CNT." }));
    expect(findings).toContainEqual(expect.objectContaining({ file: "prs_0.sh", line: 1, message: expect.stringContaining("exit 127") }));
    expect(findings).toContainEqual(expect.objectContaining({ file: "prs_0.sh", line: 4, key: "AGENT_ID" }));
  });

  it("refuses unknown file names and a second prs_install.cfg on the field", async () => {
    const res = await callAction(validateProsyncConfigAction, lead, { files: [{ fileName: "notes.txt", text: "x" }, { fileName: "prs_install.cfg", text: "A=1" }, { fileName: "prs_install.cfg", text: "A=1" }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error?.fieldErrors ?? {}).sort()).toEqual(["files.0.fileName", "files.2.fileName"]);
  });
});

describe("POST /api/v1/clusters/:id/tibero-tips (read from the hosts)", () => {
  it("refuses LEAD (runs:operate) and non-Tibero clusters", async () => {
    const mach = await makeCluster();
    expect((await callAction(readClusterTipsAction, lead, {}, { id: mach.id })).status).toBe(403);
    const res = await callAction(readClusterTipsAction, dba, {}, { id: mach.id });
    expect(res.status).toBe(400);
    expect(res.json.error?.fieldErrors?.id?.[0]).toMatch(/not a Tibero cluster/);
  });

  describe("on a lab TAC (127.0.0.241–242)", () => {
    const name = "t-tools";
    const runDir = path.join(process.cwd(), "lab", ".run", name);
    const definition = composeEstate({ name, runDir, port: 2241, timeScale: 0.01 }, (ctx) => [
      tiberoCluster(ctx, `${name}-tac`, [
        { name: `${name}-h1`, address: "127.0.0.241" },
        { name: `${name}-h2`, address: "127.0.0.242" },
      ]),
    ]);
    let clusterId = "";

    beforeAll(async () => {
      const lab = await upEstate(definition, { fresh: true });
      await seedLabInventory({ definition, lab });
      clusterId = (await db.cluster.findUniqueOrThrow({ where: { name: `${name}-tac` } })).id;
    }, 180_000);

    afterAll(async () => {
      await defaultPool().closeAll();
      await downEstate(runDir);
    });

    const tipPath = (host: string, sid: string) => path.join(definition.clusters[0]!.homesDir, host, "tibero7", "config", `${sid}.tip`);

    it("reads every instance's tip with an audited cat and validates them together", async () => {
      const res = await callAction(readClusterTipsAction, dba, {}, { id: clusterId });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const data = res.json.data as { files: { node: string; read: boolean; cmUiPort: number | null }[]; findings: Finding[] };
      expect(data.files.map((f) => [f.node, f.read])).toEqual([["tac1", true], ["tac2", true]]);
      expect(data.files.every((f) => f.cmUiPort !== null)).toBe(true);
      expect(data.findings.filter((f) => f.severity === "error")).toEqual([]);
      const audited = await db.auditEvent.findMany({ where: { action: "ssh.exec", clusterId } });
      expect(audited.map((a) => a.nodeName).sort()).toEqual(["tac1", "tac2"]);
    });

    it("reports a duplicate THREAD with its file and line, as read from the host", async () => {
      const file = tipPath(`${name}-h2`, "tac2");
      const original = readFileSync(file, "utf8");
      const lines = original.split("\n");
      const line = lines.findIndex((l) => l.startsWith("THREAD=")) + 1;
      writeFileSync(file, original.replace(/^THREAD=\d+$/m, "THREAD=0"));
      try {
        const res = await callAction(readClusterTipsAction, dba, {}, { id: clusterId });
        expect(findingsOf(res.json)).toContainEqual(expect.objectContaining({ file: "tac2.tip", line, key: "THREAD", message: expect.stringContaining("also used by tac1.tip") }));
      } finally {
        writeFileSync(file, original);
      }
    });
  });
});
