import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { disposeLabs, makeLab } from "../../../lab/sim/tibero/lab-harness";
import { parseStatement, splitScript } from "../../../lab/sim/tibero/sql-parse";
import { seedTopology } from "../../../lab/sim/tibero/topology";
import { cmUiPortFromTip, validateClusterTips } from "./validate-tips";
import { planCreateDatabase, SYS_PASSWORD_PLACEHOLDER, TBSQL_AS_SYS, type CreateDatabaseParams, type CreateDatabasePlan, type PlanRefusal } from "./create-database-plan";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

/** The statements of a seed transcript as typed after `SQL> `, without the ①/② call-outs. */
function seedStatements(text: string): string[] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^ {4}/, "").replace(/\s*\.\.\. [①②] \.\.\.\s*$/, "").trimEnd();
    if (line.startsWith("SQL> ")) {
      current = [line.slice(5)];
      out.push(current);
      if (line.endsWith(";")) current = undefined;
    } else if (current && line.trim() !== "") current.push(line);
    else current = undefined;
  }
  return out.map((lines) => lines.join("\n"));
}

const SEED: CreateDatabaseParams = {
  dbName: "ac",
  maxInstances: 8,
  characterSet: "MSWIN949",
  instances: 2,
  storage: { kind: "shared-fs", dbCreateFileDest: "/tbdata/ac" },
  tbHome: "/home/tibero/tibero7",
};

function plan(params: CreateDatabaseParams): CreateDatabasePlan {
  const r = planCreateDatabase(params);
  if (!r.ok) throw new Error(JSON.stringify(r.refusals));
  return r.plan;
}

function refused(params: unknown): PlanRefusal[] {
  const r = planCreateDatabase(params);
  if (r.ok) throw new Error("expected a refusal");
  return r.refusals;
}

describe("planCreateDatabase", () => {
  it("CREATE DATABASE is the seed's statement, line for line", () => {
    expect([plan(SEED).createDatabase.replace(SYS_PASSWORD_PLACEHOLDER, "tibero")]).toEqual(seedStatements(fixture("tbsql-create-database.txt")));
    expect(plan(SEED).createDatabase).toContain("USER sys IDENTIFIED BY {{SYS_PASSWORD}}\n");
  });

  it("thread 1: UNDO1, log groups 3-5, ENABLE PUBLIC THREAD 1 — the seed's statements", () => {
    const p = plan(SEED);
    expect(p.threadStatements).toHaveLength(1);
    expect(p.threadStatements[0]?.statements).toEqual(seedStatements(fixture("tbsql-undo-and-thread1.txt")));
    expect(p.syssub).toBeUndefined();
  });

  it("group numbers continue across threads; undo/log names follow the seed's pattern", () => {
    const p = plan({ ...SEED, instances: 3, fileDir: "/tbdata/ac" });
    expect(p.threads.map((t) => t.logGroups.map((g) => g.group))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(p.threads[2]).toMatchObject({ undoFile: "/tbdata/ac/undo021", logGroups: [{ file: "/tbdata/ac/log061" }, { file: "/tbdata/ac/log071" }, { file: "/tbdata/ac/log081" }] });
    expect(p.threadStatements[1]?.statements.at(-1)).toBe("ALTER DATABASE ENABLE PUBLIC THREAD 2;");
  });

  it("the command sequence: tbcm -b, tbboot -t NOMOUNT -c, tbsql with stdin, tbboot, system.sh, the others", () => {
    const p = plan(SEED);
    expect(p.steps.map((s) => [s.instance, ...s.argv])).toEqual([
      [0, "tbcm", "-b"],
      [0, "tbboot", "-t", "NOMOUNT", "-c"],
      [0, ...TBSQL_AS_SYS],
      [0, "tbboot"],
      [0, ...TBSQL_AS_SYS],
      [0, "/home/tibero/tibero7/scripts/system.sh", "/home/tibero/tibero7/bin/tbsvr"],
      [1, "tbcm", "-b"],
      [1, "tbboot"],
    ]);
    expect(p.steps.find((s) => s.id === "add-threads")?.expect).toEqual(["Tablespace 'UNDO1' created.", "Database altered.", "Database altered.", "Database altered.", "Database altered."]);
  });

  it("tbsql stdin splits into the statements the lab's tbsql recognises", () => {
    const p = plan({ ...SEED, instances: 2, storage: { kind: "shared-fs" }, fileDir: "/shared" });
    const kinds = p.steps
      .filter((s) => s.stdin !== undefined)
      .flatMap((s) => splitScript((s.stdin ?? "").replaceAll(SYS_PASSWORD_PLACEHOLDER, "tibero")))
      .map((part) => ("sql" in part ? parseStatement(part.sql) : part))
      .map((st) => (typeof st === "string" || !("kind" in st) ? st : st.kind));
    expect(kinds).toEqual(["create-database", "create-tablespace", "add-logfile", "add-logfile", "add-logfile", "enable-thread", "create-tablespace"]);
  });

  it("SYSSUB first on raw devices and on shared FS without DB_CREATE_FILE_DEST", () => {
    expect(plan({ ...SEED, storage: { kind: "shared-fs" }, fileDir: "/shared" }).syssub).toBe(
      "CREATE TABLESPACE SYSSUB DATAFILE '/shared/syssub001.dtf' SIZE 512M AUTOEXTEND ON NEXT 8M MAXSIZE 3G;",
    );
    const raw = plan({
      ...SEED,
      storage: { kind: "raw-device" },
      systemFile: "/dev/raw/raw1",
      tempFile: "/dev/raw/raw2",
      syssub: { file: "/dev/raw/raw9", size: "256M" },
      threads: [
        { undoFile: "/dev/raw/raw3", logGroups: [{ group: 0, file: "/dev/raw/raw4" }, { group: 1, file: "/dev/raw/raw5" }] },
        { undoFile: "/dev/raw/raw6", logGroups: [{ group: 2, file: "/dev/raw/raw7" }, { group: 3, file: "/dev/raw/raw8" }] },
      ],
    });
    expect(raw.syssub).toBe("CREATE TABLESPACE SYSSUB DATAFILE '/dev/raw/raw9' SIZE 256M AUTOEXTEND ON NEXT 8M MAXSIZE 3G;");
    expect(raw.steps.map((s) => s.id)).toEqual(["cm-boot", "boot-nomount", "create-database", "boot", "add-threads", "syssub", "system-sh", "cm-boot-1", "boot-1"]);
  });

  it("refuses MAXINSTANCES below the instance count", () => {
    expect(refused({ ...SEED, maxInstances: 1 })).toEqual([{ field: "maxInstances", message: expect.stringContaining("MAXINSTANCES 1 is below the 2 instances") }]);
  });

  it("refuses duplicate log group numbers, naming the field", () => {
    const threads = [
      { undoFile: "undo001", logGroups: [{ group: 0, file: "log001" }, { group: 1, file: "log011" }] },
      { undoFile: "undo011", logGroups: [{ group: 1, file: "log031" }, { group: 4, file: "log041" }] },
    ];
    expect(refused({ ...SEED, threads })).toEqual([{ field: "threads[1].logGroups[0].group", message: expect.stringContaining("log group 1 is already used by thread 0") }]);
  });

  it("refuses a thread with one log group", () => {
    expect(refused({ ...SEED, logGroupsPerThread: 1 }).map((r) => r.field)).toEqual(["threads[0].logGroups", "threads[1].logGroups"]);
  });

  it("refuses raw devices without explicit files or SYSSUB, and bad parameters, each by field", () => {
    expect(refused({ ...SEED, storage: { kind: "raw-device" } }).map((r) => r.field)).toEqual(["threads", "fileDir"]);
    expect(refused({ ...SEED, logSize: "50", dbName: "a c" }).map((r) => r.field).sort()).toEqual(["dbName", "logSize"]);
    expect(refused({ ...SEED, systemFile: "log001" }).map((r) => r.field)).toEqual(["threads[0].logGroups[0].file"]);
  });

  it("refuses relative file names where Tibero has no DB_CREATE_FILE_DEST to put them", () => {
    expect(refused({ ...SEED, storage: { kind: "shared-fs" } })).toEqual([{ field: "fileDir", message: "'system001' is not an absolute path; on a shared file system without DB_CREATE_FILE_DEST Tibero would create it on this node's local disk" }]);
    expect(refused({ ...SEED, storage: { kind: "shared-fs" }, fileDir: "/shared", tempFile: "temp001", syssub: { file: "syssub.dtf" } }).map((r) => r.field)).toEqual(["tempFile", "syssub.file"]);
  });
});

describe("TBSQL_AS_SYS", () => {
  it("logs in with the first stdin line and puts it into the SQL, whatever characters it holds, in a real sh", () => {
    const bin = mkdtempSync(path.join(tmpdir(), "keel-tbsql-"));
    writeFileSync(path.join(bin, "tbsql"), '#!/bin/sh\nprintf "login=%s\\n" "$1"\ncat\n', { mode: 0o755 });
    const password = "p@ss'w$rd&\\1 \"x\"";
    const sql = plan(SEED).createDatabase + ";\n";
    const [cmd, ...args] = TBSQL_AS_SYS;
    const out = execFileSync(cmd ?? "sh", args, { input: `${password}\n${sql}`, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` }, encoding: "utf8" });
    expect(out.split("\n")[0]).toBe(`login=sys/${password}`);
    expect(out).toContain(`\n     USER sys IDENTIFIED BY ${password}\n`);
    expect(out.slice(out.indexOf("\n") + 1)).toBe(sql.replace(SYS_PASSWORD_PLACEHOLDER, password));
    expect(TBSQL_AS_SYS.join(" ")).not.toContain("tibero");
  });
});

afterAll(disposeLabs);

describe("the plan on the lab simulator (seed topology, two nodes)", () => {
  it("the lab's tips pass the validator, and every step but system.sh (not simulated) prints what it expects", async () => {
    const lab = await makeLab(seedTopology());
    const nodes = ["tibero1", "tibero2"];
    const tips = await Promise.all(
      nodes.map(async (n) => {
        const config = path.join(lab.tbHome(n), "config");
        const cmUiPort = cmUiPortFromTip(await readFile(path.join(config, `cm_${n}.tip`), "utf8"));
        expect(cmUiPort).toBeDefined();
        return { fileName: `${n}.tip`, text: await readFile(path.join(config, `${n}.tip`), "utf8"), host: n, ...(cmUiPort ? { cmUiPort } : {}) };
      }),
    );
    expect(validateClusterTips(tips, { creating: true, maxInstances: 8 })).toEqual({ ok: true, findings: [] });

    const p = plan({ ...SEED, storage: { kind: "shared-fs" }, fileDir: "/shared/ac" });
    for (const step of p.steps) {
      if (step.id === "system-sh") continue;
      const node = nodes[step.instance] ?? "";
      // The in-process tools have no shell: log in as the wrapper would, with the password substituted.
      const r =
        step.stdin !== undefined
          ? await lab.run(node, "tbsql", ["sys/tibero"], { stdin: step.stdin.replaceAll(SYS_PASSWORD_PLACEHOLDER, "tibero") })
          : await lab.run(node, step.argv[0] ?? "", step.argv.slice(1));
      expect({ step: step.id, code: r.code, stderr: r.stderr }).toEqual({ step: step.id, code: 0, stderr: "" });
      const seen = step.expect.filter((line) => r.stdout.includes(line));
      expect(seen).toEqual(step.expect);
    }
  });
});
