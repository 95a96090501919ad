import { buildSimulators } from "../../build-sims";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatus } from "../../../lib/engines/prosync/parse-status";
import { parseResourceChange, parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { parseTbboot, parseTbsqlOutcomes } from "../../../lib/engines/tibero/parse-tbsql";
import { prsFixture } from "../prosync/seed-setup";
import { disposeLabs, makeLab, type Lab } from "./lab-harness";
import { StateSchema } from "./state";
import { seedProsyncTopology } from "./topology";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
const TOOLS = ["tbcm", "tbboot", "tbdown", "tbsql", "cmrctl", "prs_adm"];
let binDir = "";

// A private build of just this engine's tools, so another engine's half-finished simulator cannot break this test.
beforeAll(async () => {
  binDir = await mkdtemp(path.join(os.tmpdir(), "keel-tibero-bin-"));
  await buildSimulators({ outDir: binDir, tools: TOOLS });
}, 60_000);
afterAll(async () => {
  await disposeLabs();
  await rm(binDir, { recursive: true, force: true });
});

type Shell = { code: number; stdout: string; stderr: string };

async function sh(lab: Lab, node: string, script: string, cwd?: string): Promise<Shell> {
  try {
    const r = await run("bash", ["-c", script], {
      cwd: cwd ?? lab.root,
      env: { ...process.env, ...lab.envFor(node), PATH: `${binDir}:${process.env.PATH ?? ""}` },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

describe("built simulators as child processes", () => {
  it("create a TAC database, install agents with the sourced script, and answer prs_adm", async () => {
    const lab = await makeLab(seedProsyncTopology());
    const boot = await sh(lab, "tibero1", "tbcm -b >/dev/null && tbboot -t NOMOUNT -c");
    expect(boot.code).toBe(0);
    expect(parseTbboot(boot.stdout).startedMode).toBe("NOMOUNT");
    const created = await sh(
      lab,
      "tibero1",
      `tbsql sys/tibero <<'SQL'
CREATE DATABASE "tibero" USER sys IDENTIFIED BY tibero MAXINSTANCES 8
     LOGFILE GROUP 0 'log001' SIZE 50M,
     GROUP 1 'log011' SIZE 50M
     UNDO TABLESPACE UNDO0 DATAFILE 'undo001' SIZE 512M

SQL
tbboot >/dev/null && echo "ALTER DATABASE ADD LOGFILE THREAD 1 GROUP 1 'x' SIZE 50M;" | tbsql sys/tibero`,
    );
    expect(created.code).toBe(1); // the last tbsql hit a duplicate group
    expect(parseTbsqlOutcomes(created.stdout).map((o) => o.kind === "error" ? o.code : o.kind)).toEqual(["database-created", 1010]);

    const prsHome = lab.prsHome("tibero1");
    await mkdir(path.join(prsHome, "install"), { recursive: true });
    await writeFile(path.join(prsHome, "install", "prs_install_agent.cfg"), prsFixture("prs_install_agent.cfg"));
    await copyFile(path.join(ROOT, "lab/sim/prosync/prs_install_agent.sh"), path.join(prsHome, "install", "prs_install_agent.sh"));
    const install = await sh(lab, "tibero1", "cd $PRS_HOME/install && . prs_install_agent.sh && echo still-in-shell");
    expect(install.code).toBe(0);
    expect(install.stdout).toContain("Agent installation Done.\nstill-in-shell\n");

    const adm = await sh(lab, "tibero1", "printf 'status\\nexit\\n' | prs_adm");
    const parsed = parseStatus(adm.stdout);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.agents.map((a) => `${a.id}:${a.state}`)).toEqual(["agent1:not running", "agent2:not running", "agent3:not running", "agent4:not running"]);

    const down = await sh(lab, "tibero2", "tbboot");
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^TBR-1201: /);
  });

  it("stay consistent under concurrent invocations (one lock, no lost updates)", async () => {
    const lab = await makeLab(seedProsyncTopology());
    expect((await sh(lab, "tibero1", "tbcm -b")).code).toBe(0);
    const groupAdds = await Promise.all(
      Array.from({ length: 3 }, () => sh(lab, "tibero1", "cmrctl add group --name CM1 --cname cls_tibero --grptype prosync")),
    );
    expect(groupAdds.filter((r) => r.code === 0)).toHaveLength(1);
    expect(groupAdds.filter((r) => r.stderr.includes("resource already exists"))).toHaveLength(2);

    const agentAdds = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sh(lab, "tibero1", `cmrctl add agent --name a${i} --grpname CM1 --script /opt/prs_${i}.sh`)),
    );
    expect(agentAdds.map((r) => parseResourceChange(r.stdout).ok)).toEqual(Array(6).fill(true));
    const shown = parseShowAll((await sh(lab, "tibero1", "cmrctl show all")).stdout);
    if (!shown.ok) throw new Error(shown.error.message);
    const agents = shown.value.nodes[0]?.resources.filter((r) => r.type === "agent").map((r) => r.name) ?? [];
    expect(agents.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `a${i}`).sort());
    StateSchema.parse(JSON.parse(await readFile(path.join(lab.stateDir, "state.json"), "utf8")));
  });

  it("recover a lock left behind by a dead process", async () => {
    const lab = await makeLab(seedProsyncTopology());
    const lockDir = path.join(lab.stateDir, "state.lock");
    await mkdir(lockDir);
    await writeFile(path.join(lockDir, "owner"), "999999 0\n");
    const r = await sh(lab, "tibero1", "tbcm -b");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Local node name is (cm_tibero1:8645).");
  });
});
