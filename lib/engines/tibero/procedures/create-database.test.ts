import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { describeParameters } from "../../../runs/model";
import { compilePlan, type PlanContext } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { outline, planOf, verdict } from "../../machbase/procedures/test-context.test-fixture";
import { SYS_PASSWORD_PLACEHOLDER, TBSQL_AS_SYS } from "../create-database-plan";
import { createDatabase } from "./create-database";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");
const lab: PlanContext = labPlanContext("TIBERO");
const SEED = { dbName: "ac", sysCredential: "cred-sys", instances: 2, maxInstances: 8, characterSet: "MSWIN949", dbCreateFileDest: "/tbdata/ac" };
const STEPS = ["cm-boot", "boot-nomount", "create-database", "boot", "add-threads", "system-sh", "cm-boot-1", "boot-1"];
const TIP_OUTPUT = (tip: string) => `${tip}--- keel: cm tip ---\n${fixture("cm_tibero1.tip").replace("CM_UI_PORT=8645", "CM_UI_PORT=30000")}`;

describe("tibero.create-database", () => {
  it("compiles the seed's sequence on the lab: tips, approval, tbcm -b, tbboot -t NOMOUNT -c, tbsql, tbboot, threads, system.sh, the other instance, checks", () => {
    const plan = planOf(compilePlan(createDatabase, SEED, lab));
    expect(outline(plan)).toEqual([
      "tips[0]/tip precheck @tac1",
      "tips[1]/tip precheck @tac2",
      "approve confirm",
      ...STEPS.map((_, i) => `create[${i}]/run action @${i < 6 ? "tac1" : "tac2"}`),
      "all-up wait-until @tac1",
      "threads verify @tac1",
    ]);
    const argv = plan.steps.map((s) => ("argv" in s ? s.argv : null));
    expect(argv.slice(3, 11)).toEqual([
      ["tbcm", "-b"],
      ["tbboot", "-t", "NOMOUNT", "-c"],
      [...TBSQL_AS_SYS],
      ["tbboot"],
      [...TBSQL_AS_SYS],
      [`${String(lab.settings.TB_HOME)}/scripts/system.sh`, `${String(lab.settings.TB_HOME)}/bin/tbsvr`],
      ["tbcm", "-b"],
      ["tbboot"],
    ]);
    const create = plan.steps[5];
    expect(create).toMatchObject({ title: "tac1: CREATE DATABASE (Tibero stops itself afterwards)", idempotent: false, stdin: { credential: "cred-sys" } });
    expect(create && "stdin" in create ? create.stdin?.text : "").toContain(`CREATE DATABASE "ac"\n     USER sys IDENTIFIED BY ${SYS_PASSWORD_PLACEHOLDER}\n     MAXINSTANCES 8\n`);
    expect(plan.steps[7] && "stdin" in plan.steps[7] ? plan.steps[7].stdin?.text : "").toContain("ALTER DATABASE ENABLE PUBLIC THREAD 1;");
    expect(plan.steps.find((s) => s.key === "threads")).toMatchObject({ stdin: { credential: "cred-sys", text: "SELECT THREAD#, STATUS, ENABLED FROM V$THREAD;\n" } });
    expect(plan.requiresSecondDba).toBe(true);
    expect(planAsText(plan)).toContain("< (secret of credential cred-sys)");
  });

  it("never carries a password: only the credential id is in the stored plan", () => {
    const plan = planOf(compilePlan(createDatabase, SEED, lab));
    const text = JSON.stringify(plan);
    expect(text).not.toMatch(/sys\/\w/);
    expect(text).not.toContain("IDENTIFIED BY tibero");
    expect(describeParameters(createDatabase.parameters).find((f) => f.name === "sysCredential")).toMatchObject({ type: "text", required: true });
  });

  it("adds SYSSUB before system.sh on a shared FS without DB_CREATE_FILE_DEST", () => {
    const plan = planOf(compilePlan(createDatabase, { ...SEED, dbCreateFileDest: undefined, fileDir: "/shared/ac" }, lab));
    expect(plan.steps.filter((s) => s.stepId === "run").map((s) => s.item?.label)).toEqual([...STEPS.slice(0, 5), "syssub", ...STEPS.slice(5)]);
  });

  it("refuses plans that break the seed's rules, by field, at compile time", () => {
    expect(compilePlan(createDatabase, { ...SEED, maxInstances: 1 }, lab)).toEqual({
      ok: false,
      errors: [{ kind: "param", field: "maxInstances", message: expect.stringContaining("MAXINSTANCES 1 is below the 2 instances") }],
    });
    const duplicate = ["undo001 | 0:log001, 1:log011", "undo011 | 1:log031, 4:log041"];
    expect(compilePlan(createDatabase, { ...SEED, threadFiles: duplicate }, lab)).toEqual({
      ok: false,
      errors: [{ kind: "param", field: "threadFiles.1", message: expect.stringContaining("log group 1 is already used by thread 0") }],
    });
    expect(compilePlan(createDatabase, { ...SEED, logGroupsPerThread: 1 }, lab)).toMatchObject({
      ok: false,
      errors: [
        { kind: "param", field: "threadFiles.0", message: expect.stringContaining("redo thread 0 has 1 log group(s)") },
        { kind: "param", field: "threadFiles.1", message: expect.stringContaining("redo thread 1 has 1 log group(s)") },
      ],
    });
    expect(compilePlan(createDatabase, { ...SEED, threadFiles: ["undo001 log001"] }, lab)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "threadFiles.0" }] });
    expect(compilePlan(createDatabase, { ...SEED, storage: "raw-device" }, lab)).toMatchObject({ ok: false, errors: [{ field: "threadFiles" }, { field: "fileDir" }] });
    expect(compilePlan(createDatabase, { ...SEED, sysCredential: "" }, lab)).toMatchObject({ ok: false, errors: [{ field: "sysCredential" }] });
  });

  it("refuses an instance count that differs from the inventory, and a missing TB_HOME", () => {
    expect(compilePlan(createDatabase, { ...SEED, instances: 3 }, lab)).toMatchObject({
      ok: false,
      errors: [{ kind: "step", step: "tips[0]/tip", message: "command refused: instances: the cluster has 2 instance node(s) (tac1, tac2), not 3" }, { kind: "step" }, { kind: "step" }],
    });
    expect(compilePlan(createDatabase, SEED, { ...lab, settings: {} })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([{ kind: "step", step: "create[0]/run", message: "command refused: tbHome: not given, and the cluster has no TB_HOME setting" }]),
    });
  });

  it("checks each tip: the seed's first-instance tip passes on thread 0, and a wrong THREAD or CM_PORT is named with the fix", () => {
    const plan = planOf(compilePlan(createDatabase, SEED, lab));
    expect(verdict(createDatabase, plan, "tips[0]/tip", TIP_OUTPUT(fixture("tb_sid.tip")))).toEqual({ ok: true });
    const second = verdict(createDatabase, plan, "tips[1]/tip", TIP_OUTPUT(fixture("tb_sid.tip")));
    expect(second).toMatchObject({ ok: false, reason: expect.stringContaining("tac2.tip: THREAD=0, but this instance gets redo thread 1 (set THREAD=1)") });
    const badPort = verdict(createDatabase, plan, "tips[0]/tip", `${fixture("tb_sid.tip")}--- keel: cm tip ---\n${fixture("cm_tibero1.tip")}`);
    expect(badPort).toMatchObject({ ok: false, reason: expect.stringContaining("CM_PORT") });
    expect(verdict(createDatabase, plan, "tips[0]/tip", "", 1)).toMatchObject({ ok: false });
  });

  it("waits for every instance UP(NRML) on the seed's cmrctl show all, and checks V$THREAD", () => {
    const seedInventory: PlanContext = {
      ...lab,
      nodes: ["tibero1", "tibero2"].map((name, i) => ({ name, type: "instance", role: "", group: null, hostName: `n${i}`, hostAddress: `172.19.0.1${i + 1}` })),
    };
    const plan = planOf(compilePlan(createDatabase, SEED, seedInventory));
    const showAll = fixture("cmrctl-show-all-before-groups.txt");
    expect(verdict(createDatabase, plan, "all-up", showAll)).toEqual({ ok: true });
    expect(verdict(createDatabase, plan, "all-up", showAll.replace("tibero2 UP(NRML)", "tibero2     DOWN"))).toEqual({ ok: false, reason: "not every instance is UP(NRML): tibero2 DOWN" });
    const threads = (rows: string) => `tbSQL 7 \n\nConnected to Tibero.\n\nSQL> THREAD# STATUS ENABLED\n------- ------ -------\n${rows}\n2 rows selected.\n\nSQL> Disconnected.\n`;
    expect(verdict(createDatabase, plan, "threads", threads("0       OPEN   PUBLIC\n1       OPEN   PUBLIC\n"))).toEqual({ ok: true });
    expect(verdict(createDatabase, plan, "threads", threads("0       OPEN   PUBLIC\n1       OPEN   DISABLED\n"))).toEqual({ ok: false, reason: "redo thread(s) 1 not enabled" });
  });
});
