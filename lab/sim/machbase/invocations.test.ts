// The command log tests count on: one line per invocation, in order, refused ones included.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INVOCATION_LOG, runCoordinatorAdmin, runDeployerAdmin } from "./cli";

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-invocations-"));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

function logLines(): { at: number; argv: string[] }[] {
  return readFileSync(path.join(stateDir, INVOCATION_LOG), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { at: number; argv: string[] });
}

describe("invocations.log", () => {
  it("appends one line per invocation of either tool, with the tool's name and its arguments", () => {
    const env = { KEEL_LAB_STATE: stateDir, KEEL_LAB_TIME_SCALE: "0" };
    expect(existsSync(path.join(stateDir, INVOCATION_LOG))).toBe(false);
    expect(runCoordinatorAdmin(["--cluster-status-full"], { env, now: () => 1_000 }).exitCode).toBe(0);
    expect(runCoordinatorAdmin(["--set-group-state=readonly", "--group=group1"], { env, now: () => 2_000 }).exitCode).toBe(0);
    // Refused by the tool (no such node): still logged, since it was invoked.
    expect(runCoordinatorAdmin(["--snapshot-recover=nowhere:1"], { env, now: () => 3_000 }).exitCode).toBe(1);
    expect(runDeployerAdmin(["--check"], { env, now: () => 4_000 }).exitCode).toBe(0);
    expect(logLines()).toEqual([
      { at: 1_000, argv: ["machcoordinatoradmin", "--cluster-status-full"] },
      { at: 2_000, argv: ["machcoordinatoradmin", "--set-group-state=readonly", "--group=group1"] },
      { at: 3_000, argv: ["machcoordinatoradmin", "--snapshot-recover=nowhere:1"] },
      { at: 4_000, argv: ["machdeployeradmin", "--check"] },
    ]);
  });

  it("logs nothing without a cluster to talk to", () => {
    expect(runCoordinatorAdmin(["--cluster-status-full"], { env: {} }).exitCode).toBe(2);
    expect(existsSync(path.join(stateDir, INVOCATION_LOG))).toBe(false);
  });
});
