import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { parseTbboot, parseTbcm, parseTbsqlOutcomes } from "../../../lib/engines/tibero/parse-tbsql";
import type { TbsqlOutcome } from "../../../lib/engines/tibero/types";
import { disposeLabs, makeLab, type Lab } from "./lab-harness";
import { seedTopology } from "./topology";

const FIXTURES = path.join(import.meta.dirname, "../../../lib/engines/tibero/fixtures");
const SEED_TB_HOME = "/home/tibero/tibero/tibero7";

/** The seed's CREATE DATABASE statement, taken from its transcript with the prompt and ①② markers removed. */
function seedCreateDatabase(): string {
  return readFileSync(path.join(FIXTURES, "tbsql-create-database.txt"), "utf8")
    .split("\n")
    .filter((l) => !l.includes("$ tbsql") && !l.includes("Database created."))
    .map((l) => l.replace(/^\s*SQL> /, "").replace(/\.\.\. [①②] \.\.\./, "").trim())
    .join("\n")
    .trim();
}

function outcomes(stdout: string): string[] {
  return parseTbsqlOutcomes(stdout).map((o: TbsqlOutcome) => (o.kind === "error" ? `TBR-${o.code}` : o.kind === "tablespace-created" ? `ts:${o.name}` : o.kind));
}

async function dbStatus(lab: Lab, node: string): Promise<Record<string, string>> {
  const r = await lab.run(node, "cmrctl", ["show", "all"]);
  const parsed = parseShowAll(r.stdout);
  if (!parsed.ok) throw new Error(`${parsed.error.message}: ${parsed.error.line}`);
  return Object.fromEntries(parsed.value.nodes.flatMap((n) => n.resources.filter((x) => x.type === "db").map((x) => [x.name, x.status])));
}

afterAll(disposeLabs);

describe("seed 001 §15.5: creating the TAC database, with every documented refusal", () => {
  it("runs the sequence end to end", async () => {
    const lab = await makeLab(seedTopology());
    const sql = (node: string, text: string) => lab.run(node, "tbsql", ["sys/tibero"], { stdin: text });

    // tbboot needs the CM first.
    const noCm = await lab.run("tibero1", "tbboot", ["-t", "NOMOUNT", "-c"]);
    expect(noCm.code).toBe(1);
    expect(parseTbboot(noCm.stdout + noCm.stderr).errors[0]?.code).toBe(1201);

    // Step 1: tbcm -b.
    const cm = await lab.run("tibero1", "tbcm", ["-b"]);
    expect(cm.code).toBe(0);
    expect(parseTbcm(cm.stdout)).toEqual({ started: true, stopped: false, localNode: { cmName: "cm_tibero1", port: 8645 }, errors: [] });
    const again = await lab.run("tibero1", "tbcm", ["-b"]);
    expect(again.code).toBe(1);
    expect(parseTbcm(again.stderr).errors.map((e) => e.code)).toEqual([1301]);

    // An invalid tip (CLUSTER_DATABASE not Y) is refused, naming file and line.
    const tipPath = path.join(lab.tbHome("tibero1"), "config", "tibero1.tip");
    const tip = await readFile(tipPath, "utf8");
    await writeFile(tipPath, tip.replace("CLUSTER_DATABASE=Y", "CLUSTER_DATABASE=N"));
    const badTip = await lab.run("tibero1", "tbboot", ["-t", "NOMOUNT", "-c"]);
    expect(badTip.code).toBe(1);
    expect(badTip.stderr).toContain(`TBR-1202: CLUSTER_DATABASE must be Y for TAC, got 'N' (${tipPath}:6).`);
    await writeFile(tipPath, tip);

    // Step 2: NOMOUNT boot prints the seed's banner.
    const nomount = await lab.run("tibero1", "tbboot", ["-t", "NOMOUNT", "-c"]);
    expect(nomount.code).toBe(0);
    expect(parseTbboot(nomount.stdout)).toEqual({ startedMode: "NOMOUNT", listenerPort: "8629", errors: [] });
    expect(nomount.stdout).toContain("Tibero 7 \n\nTmaxData Corporation Copyright (c) 2008-. All rights reserved.\n\nTibero instance started up (NOMOUNT mode).\n");
    expect(await dbStatus(lab, "tibero1")).toEqual({ tibero1: "UP(NOMT)" });

    // Step 3 refusals: duplicate group numbers; an UNDO tablespace that is not the tip's UNDO_TABLESPACE.
    const create = seedCreateDatabase();
    const dup = await sql("tibero1", create.replace("GROUP 2 'log021'", "GROUP 1 'log021'"));
    expect(dup.code).toBe(1);
    expect(outcomes(dup.stdout)).toEqual(["TBR-1010"]);
    const wrongUndo = await sql("tibero1", create.replace("UNDO TABLESPACE UNDO0", "UNDO TABLESPACE UNDO9"));
    expect(outcomes(wrongUndo.stdout)).toEqual(["TBR-1015"]);

    // Step 3: the seed's CREATE DATABASE; step 4: Tibero stops by itself, later statements cannot run.
    const created = await sql("tibero1", `${create}\n\nSELECT * FROM V$LOG;\n`);
    expect(outcomes(created.stdout)).toEqual(["database-created", "TBR-2131"]);
    expect(await dbStatus(lab, "tibero1")).toEqual({ tibero1: "DOWN" });
    expect((await sql("tibero1", create)).code).toBe(1); // instance is down: cannot even connect

    const normal = await lab.run("tibero1", "tbboot", []);
    expect(parseTbboot(normal.stdout).startedMode).toBe("NORMAL");
    expect((await lab.run("tibero1", "tbsql", ["sys/wrong"], { stdin: "SELECT * FROM V$LOG;\n" })).stdout).toContain("TBR-17001");

    // The second instance cannot boot before its thread and undo exist.
    expect((await lab.run("tibero2", "tbcm", ["-b"])).code).toBe(0);
    const early = await lab.run("tibero2", "tbboot", []);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^TBR-1204: Redo thread 1 is not enabled/);

    // Step 4 refusals: a group number already used by thread 0; enabling a thread with one group;
    // a thread beyond MAXINSTANCES 8.
    const refusals = await sql(
      "tibero1",
      [
        "ALTER DATABASE ADD LOGFILE THREAD 1 GROUP 2 'log022' size 50M;",
        "ALTER DATABASE ADD LOGFILE THREAD 8 GROUP 80 'log801' size 50M;",
        "ALTER DATABASE ADD LOGFILE THREAD 1 GROUP 3 'log031' size 50M;",
        "ALTER DATABASE ENABLE PUBLIC THREAD 1;",
      ].join("\n"),
    );
    expect(refusals.code).toBe(1);
    expect(outcomes(refusals.stdout)).toEqual(["TBR-1010", "TBR-1011", "database-altered", "TBR-1012"]);

    // Step 4 as the seed runs it (group 3 now exists, so it is refused once more; 4 and 5 succeed).
    const seedStep4 = readFileSync(path.join(FIXTURES, "tbsql-undo-and-thread1.txt"), "utf8")
      .split("\n")
      .filter((l) => !l.includes("$ tb") && !/created\.|altered\./.test(l))
      .map((l) => l.replace(/\.\.\. ① \.\.\./, ""))
      .join("\n");
    const step4 = await sql("tibero1", seedStep4);
    expect(outcomes(step4.stdout)).toEqual(["ts:UNDO1", "TBR-1010", "database-altered", "database-altered", "database-altered"]);
    expect((await sql("tibero1", "ALTER DATABASE ENABLE PUBLIC THREAD 1;")).stdout).toContain("TBR-1013");

    // Step 5: SYSSUB, from a script file (tbsql sys/tibero @file).
    const script = path.join(lab.root, "syssub.sql");
    await writeFile(script, "CREATE TABLESPACE SYSSUB DATAFILE '/shared/syssub001.dtf' SIZE 100M;\nSELECT * FROM V$THREAD;\n");
    const syssub = await lab.run("tibero1", "tbsql", ["sys/tibero", `@${script}`]);
    expect(outcomes(syssub.stdout)).toEqual(["ts:SYSSUB"]);
    expect(syssub.stdout).toMatch(/1\s+OPEN\s+PUBLIC/);

    // Step 7: the other instance boots; both show UP(NRML) exactly as the seed's `cmrctl show all`.
    expect(parseTbboot((await lab.run("tibero2", "tbboot", [])).stdout).startedMode).toBe("NORMAL");
    const shown = (await lab.run("tibero2", "cmrctl", ["show", "all"])).stdout
      .replaceAll(lab.tbHome("tibero1"), SEED_TB_HOME)
      .replaceAll(lab.tbHome("tibero2"), SEED_TB_HOME);
    expect(shown).toBe(readFileSync(path.join(FIXTURES, "cmrctl-show-all-before-groups.txt"), "utf8"));

    // Seed 003 §5.1–5.2: tbdown, then tbcm -d.
    expect((await lab.run("tibero2", "tbdown", [])).stdout).toBe("Tibero instance terminated (NORMAL mode).\n");
    expect(parseTbcm((await lab.run("tibero2", "tbcm", ["-d"])).stdout)).toMatchObject({ started: false, stopped: true });
    expect(Object.keys(await dbStatus(lab, "tibero1"))).toEqual(["tibero1"]);
  });

  it("MAXINSTANCES bounds how many threads and instances can ever join", async () => {
    const lab = await makeLab(seedTopology());
    await lab.run("tibero1", "tbcm", ["-b"]);
    await lab.run("tibero1", "tbboot", ["-t", "NOMOUNT", "-c"]);
    const create = seedCreateDatabase().replace("MAXINSTANCES 8", "MAXINSTANCES 1");
    expect(outcomes((await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: create })).stdout)).toEqual(["database-created"]);
    await lab.run("tibero1", "tbboot", []);
    const r = await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: "ALTER DATABASE ADD LOGFILE THREAD 1 GROUP 3 'log031' size 50M;\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("TBR-1011: Thread 1 exceeds MAXINSTANCES (1)");
  });

  it("CREATE DATABASE needs NOMOUNT, THREAD=0 and at least two log groups", async () => {
    const lab = await makeLab(seedTopology());
    await lab.run("tibero2", "tbcm", ["-b"]);
    await lab.run("tibero2", "tbboot", ["-t", "NOMOUNT"]);
    const create = seedCreateDatabase().replace("UNDO TABLESPACE UNDO0", "UNDO TABLESPACE UNDO1");
    expect(outcomes((await lab.run("tibero2", "tbsql", ["sys/tibero"], { stdin: create })).stdout)).toEqual(["TBR-1016"]);
    await lab.run("tibero1", "tbcm", ["-b"]);
    await lab.run("tibero1", "tbboot", ["-t", "NOMOUNT"]);
    const oneGroup = "CREATE DATABASE \"ac\" MAXINSTANCES 8 LOGFILE GROUP 0 'log001' SIZE 50M UNDO TABLESPACE UNDO0 DATAFILE 'undo001' SIZE 512M;";
    expect(outcomes((await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: oneGroup })).stdout)).toEqual(["TBR-1017"]);
    expect(outcomes((await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: "CREATE DATABSE x;" })).stdout)).toEqual(["TBR-7001"]);
  });
});
