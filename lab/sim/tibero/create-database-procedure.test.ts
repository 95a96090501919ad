// Keel's tibero.create-database plan executed step by step against the BUILT simulators through real
// `sh` (the SYS password arrives on stdin, as the runbook engine sends a credential), with boot-fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../../lib/engines/tibero/procedures/create-database";
import { compilePlan, type PlanContext } from "../../../lib/runs/plan";
import { bundleSimulators } from "../../../lib/status/built-sims";
import { localRunner } from "../../../lib/status/local-runner";
import { bootFail } from "../../faults/tibero";
import { runPlan } from "../run-plan";
import { disposeLabs, makeLab } from "./lab-harness";
import { seedTopology } from "./topology";

let sims: Awaited<ReturnType<typeof bundleSimulators>>;
beforeAll(async () => {
  sims = await bundleSimulators(["tbcm", "tbboot", "tbdown", "tbsql", "cmrctl"]);
}, 60_000);
afterAll(async () => {
  await sims?.dispose();
  await disposeLabs();
});

const NODES = ["tibero1", "tibero2"];
const PARAMS = { dbName: "tibero", sysCredential: "cred-sys", instances: 2, maxInstances: 8, characterSet: "MSWIN949", dbCreateFileDest: "/tbdata/tibero" };

async function setUp() {
  const lab = await makeLab(seedTopology());
  const inventory: PlanContext = {
    engine: "TIBERO",
    version: "7",
    settings: { TB_HOME: lab.tbHome("tibero1"), TB_SID: "tibero1" },
    nodes: NODES.flatMap((n, i) => [
      { name: n, type: "instance", role: "", group: null, hostName: n, hostAddress: `172.19.0.1${i + 1}` },
      { name: `cm_${n}`, type: "cm", role: "", group: null, hostName: n, hostAddress: `172.19.0.1${i + 1}` },
    ]),
  };
  const run = localRunner(Object.fromEntries(NODES.map((n) => [n, { env: lab.envFor(n), path: [sims.binDir], cwd: lab.root }])));
  const compiled = compilePlan(createDatabase, PARAMS, inventory);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return { lab, execute: () => runPlan(createDatabase, compiled.plan, run, { credentials: { "cred-sys": "S3cret_pw" } }) };
}

describe("tibero.create-database on the simulator", () => {
  it("creates the database with the password from stdin, enables thread 1, boots both instances and verifies", async () => {
    const { lab, execute } = await setUp();
    const result = await execute();
    expect(result.failedAt, JSON.stringify(result.steps.at(-1))).toBeNull();
    const byId = new Map(result.steps.map((s) => [s.key, s]));
    expect(byId.get("create[2]/run")?.stdout).toContain("Database created.");
    expect(byId.get("create[4]/run")?.stdout).toContain("Tablespace 'UNDO1' created.");
    expect(byId.get("create[5]/run")?.stdout).toMatch(/^Creating the role DBA\.\.\.$/m);
    expect(byId.get("threads")?.stdout).toMatch(/^1\s+OPEN\s+PUBLIC$/m);
    // The database's SYS password is the credential's: a wrong one is refused afterwards.
    expect((await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: "SELECT * FROM V$THREAD;\n" })).stdout).toContain("TBR-17001");
  }, 60_000);

  it("stops at the instance that fails to boot, naming it (boot-fail)", async () => {
    const { lab, execute } = await setUp();
    await bootFail(lab.stateDir, "tibero2");
    const result = await execute();
    expect(result.failedAt).toBe("create[7]/run");
    const failed = result.steps.at(-1);
    expect(failed?.reason).toMatch(/^exit 1: .*TBR-1210/);
    expect(result.steps.find((s) => s.key === "create[7]/run")).toBeDefined();
  }, 60_000);
});
