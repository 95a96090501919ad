import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DIR = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readFileSync(path.join(DIR, name), "utf8");

// Every output block and config example of seeds 001 and 003 (Tibero side), copied verbatim, and the
// test that pins each one down.
const COVERAGE: Record<string, string> = {
  "tb_sid.tip": "parse-tip.test.ts",
  "tip-thread0-undo0.tip": "parse-tip.test.ts",
  "cm_tibero1.tip": "parse-tip.test.ts",
  "tbsql-create-database.txt": "parse-tbsql.test.ts, lab/sim/tibero/tac-create.test.ts (fed to tbsql)",
  "tbsql-undo-and-thread1.txt": "parse-tbsql.test.ts, lab/sim/tibero/tac-create.test.ts (fed to tbsql)",
  "tbsql-create-syssub.txt": "parse-tbsql.test.ts",
  "tbboot-nomount.txt": "parse-tbsql.test.ts",
  "cmrctl-show-all-before-groups.txt": "parse-cmrctl.test.ts, tac-create.test.ts and cm-failover-setup.test.ts (simulator output)",
  "cmrctl-show-all-registered.txt": "parse-cmrctl.test.ts",
  "cmrctl-start-group.txt": "parse-cmrctl.test.ts, cm-failover-setup.test.ts (simulator output)",
  "cmrctl-add-group.txt": "parse-cmrctl.test.ts",
  "cmrctl-add-agent.txt": "parse-cmrctl.test.ts",
  "system-sh.txt": "this file (system.sh is not simulated)",
  "config-dir-listing.txt": "this file",
};

describe("Tibero seed fixtures", () => {
  it("are all accounted for", () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(COVERAGE).sort());
  });

  it("system.sh transcript: the package scripts it runs, in order", () => {
    const pkgs = [...fixture("system-sh.txt").matchAll(/Running \/home\/tibero\/tibero7\/scripts\/(\w+)\.sql\.\.\./g)].map((m) => m[1]);
    expect(pkgs).toHaveLength(13);
    expect(pkgs[0]).toBe("pkg_standard");
    expect(pkgs.at(-1)).toBe("pkg_tb_utility");
  });

  it("$TB_HOME/config listing holds both nodes' tip and cm tip files", () => {
    const files = fixture("config-dir-listing.txt")
      .split("\n")
      .map((l) => /^[-d]\S+\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w+\s+\d+\s+\S+\s+(\S+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[2], Number(m[1])]);
    expect(Object.fromEntries(files)).toMatchObject({ "cm_tibero1.tip": 691, "cm_tibero2.tip": 691, "tibero1.tip": 936, "tibero2.tip": 936 });
  });
});
