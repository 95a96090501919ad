// The guarded CM_ID edit, run by a real sh (dash on Debian) on a copy of the seed's cm tip.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCmIdArgv } from "./cm-id-edit";

const SEED_TIP = readFileSync(path.join(import.meta.dirname, "../../tibero/fixtures/cm_tibero1.tip"), "utf8");
const WITHOUT = SEED_TIP.replace(/^CM_ID=.*\n/m, "");

function home(tip: string) {
  const tbHome = mkdtempSync(path.join(tmpdir(), "keel-cmid-"));
  execFileSync("mkdir", ["-p", path.join(tbHome, "config")]);
  const file = path.join(tbHome, "config", "cm_tibero1.tip");
  writeFileSync(file, tip, { mode: 0o640 });
  const run = (cmId: number) => {
    const [cmd, ...args] = addCmIdArgv(cmId);
    try {
      return { code: 0, out: execFileSync(cmd ?? "sh", args, { env: { ...process.env, TB_HOME: tbHome, TB_SID: "tibero1" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (e) {
      const err = e as { status?: number; stderr?: string };
      return { code: err.status ?? -1, out: err.stderr ?? "" };
    }
  };
  return { file, run };
}

describe("the CM_ID edit", () => {
  it("adds CM_ID as the first setting, after the header comments, keeping the file's mode", () => {
    const { file, run } = home(WITHOUT);
    expect(run(0)).toEqual({ code: 0, out: `CM_ID=0 added to ${file}\n` });
    const text = readFileSync(file, "utf8");
    expect(text).toBe(WITHOUT.replace("CM_NAME=cm_tibero1", "CM_ID=0\nCM_NAME=cm_tibero1"));
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it("never adds it twice, and refuses to overwrite a different CM_ID", () => {
    const { file, run } = home(SEED_TIP);
    expect(run(0)).toEqual({ code: 0, out: `CM_ID=0 is already set in ${file}\n` });
    expect(readFileSync(file, "utf8")).toBe(SEED_TIP);
    expect(run(1)).toEqual({ code: 1, out: `${file} already has CM_ID=0, not 1: correct it by hand\n` });
    expect(readFileSync(file, "utf8")).toBe(SEED_TIP);
  });

  it("fails naming the file when the tip is missing", () => {
    const { file, run } = home("");
    execFileSync("rm", [file]);
    expect(run(0)).toEqual({ code: 1, out: `${file} not found\n` });
  });
});
