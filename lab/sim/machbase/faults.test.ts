// Fault injection and the seed's rules around it, on a simulated clock (in-process for speed).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configurationEntries, fieldValue, parseAdminOutput, snapshotIntervalSec } from "../../../lib/engines/machbase/parse";
import type { AdminOutput, FullStatusTable, StatusRow } from "../../../lib/engines/machbase/types";
import { extractPackage, holdDdl, killNode, releaseDdl, restartNode, runFaultCli } from "../../faults/machbase";
import { runCoordinatorAdmin, runDeployerAdmin } from "./cli";
import { BASE_DURATIONS_MS } from "./timing";

const SCALE = 0.001;
let stateDir: string;
let clock: number;
let env: Record<string, string>;

beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-faults-"));
  clock = 1_700_000_000_000;
  env = { KEEL_LAB_STATE: stateDir, KEEL_LAB_TIME_SCALE: String(SCALE) };
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const later = (ms: number) => {
  clock += ms * SCALE + 1;
};

function parsed(stdout: string): AdminOutput {
  const result = parseAdminOutput(stdout);
  if (!result.ok) throw new Error(`${result.error.message}: ${result.error.line}`);
  return result.value;
}
function coordinator(...argv: string[]) {
  return runCoordinatorAdmin(argv, { env, now: () => clock });
}
function deployer(...argv: string[]) {
  return runDeployerAdmin(argv, { env, now: () => clock });
}
function row(name: string): StatusRow {
  const run = coordinator("--cluster-status-full");
  expect(run.exitCode).toBe(0);
  const table = parsed(run.stdout).tables[0] as FullStatusTable;
  const found = table.rows.find((r) => r.nodeName === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
}
const faultOptions = () => ({ env, now: clock });

describe("machbase faults", () => {
  it("a killed broker shows **unknown** once detected and returns to its role after restart", () => {
    killNode(stateDir, "localhost:30310", faultOptions());
    later(BASE_DURATIONS_MS.detectFailure);
    expect(row("localhost:30310")).toMatchObject({ desiredState: "leader", actualState: "unknown", groupState: "normal" });
    restartNode(stateDir, "localhost:30310", faultOptions());
    expect(row("localhost:30310").actualState).toBe("unknown");
    later(BASE_DURATIONS_MS.nodeStartup);
    expect(row("localhost:30310")).toMatchObject({ desiredState: "leader", actualState: "leader" });
  });

  it("a death while the coordinator is down is only detected after it starts again", () => {
    expect(coordinator("--shutdown").exitCode).toBe(0);
    expect(coordinator("--cluster-status-full")).toMatchObject({ exitCode: 1 });
    killNode(stateDir, "localhost:30510", faultOptions());
    later(BASE_DURATIONS_MS.detectFailure * 5);
    expect(coordinator("--startup").exitCode).toBe(0);
    expect(row("localhost:30510")).toMatchObject({ desiredState: "normal", actualState: "normal" });
    later(BASE_DURATIONS_MS.detectFailure);
    expect(row("localhost:30510")).toMatchObject({ desiredState: "scrapped", actualState: "unknown", groupState: "readonly" });
    // A snapshot of a group with a scrapped warehouse is refused.
    expect(coordinator("--exec-snapshot", "--group=group2").exitCode).toBe(1);
    expect(coordinator("--exec-snapshot", "--group=group1").exitCode).toBe(0);
  });

  it("hold-ddl is reported by --cluster-node and blocks nothing", () => {
    expect(fieldValue(parsed(coordinator("--cluster-node").stdout), "DDL Status")).toBe("idle");
    holdDdl(stateDir, "ALTER TABLE t ADD COLUMN (c INTEGER)", faultOptions());
    const node = parsed(coordinator("--cluster-node").stdout);
    expect(fieldValue(node, "DDL Status")).toBe("running");
    expect(fieldValue(node, "DDL Statement")).toBe("ALTER TABLE t ADD COLUMN (c INTEGER)");
    expect(coordinator("--shutdown").exitCode).toBe(0);
    expect(coordinator("--startup").exitCode).toBe(0);
    expect(releaseDdl(stateDir, faultOptions())).toMatchObject({ ok: true });
    expect(fieldValue(parsed(coordinator("--cluster-node").stdout), "DDL Status")).toBe("idle");
  });

  it("node commands are refused while the deployer is down", () => {
    expect(deployer("--shutdown").exitCode).toBe(0);
    expect(row("localhost:30210")).toMatchObject({ desiredState: "shutdown", actualState: "shutdown" });
    const refused = coordinator("--shutdown-node=localhost:30420");
    expect(refused.exitCode).toBe(1);
    expect(parsed(refused.stdout).errors).toEqual(["Deployer (localhost:30210) is not running."]);
    expect(deployer("--startup").exitCode).toBe(0);
    expect(coordinator("--shutdown-node=localhost:30420").exitCode).toBe(0);
  });

  it("coordinator upgrade: full package untarred over a stopped home changes the banner release", () => {
    const full = "machbase-ent-new.official-LINUX-X86-64-release.tgz";
    expect(extractPackage(stateDir, "localhost:30110", full, faultOptions())).toMatchObject({ ok: false });
    expect(coordinator("--shutdown").exitCode).toBe(0);
    expect(extractPackage(stateDir, "localhost:30110", "machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz", faultOptions())).toMatchObject({ ok: false });
    expect(extractPackage(stateDir, "localhost:30110", full, faultOptions())).toMatchObject({ ok: true });
    const started = coordinator("--startup");
    expect(parsed(started.stdout).banner?.releaseVersion).toBe("new.official");
  });

  it("--snapshot-interval takes effect at once and shows in --configuration", () => {
    expect(snapshotIntervalSec(parsed(coordinator("--configuration").stdout))).toBe(60);
    const set = coordinator("--snapshot-interval=0");
    expect(configurationEntries(parsed(set.stdout))).toEqual([{ name: "SNAPSHOT-INTERVAL", value: "0" }]);
    expect(snapshotIntervalSec(parsed(coordinator("--configuration").stdout))).toBe(0);
    expect(coordinator("--snapshot-interval=-1").exitCode).toBe(1);
  });

  it("takes over a lock left by a process that died", () => {
    const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid;
    const lockDir = path.join(stateDir, "state.lock");
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(path.join(lockDir, "owner"), `${deadPid} ${Date.now()}`);
    expect(coordinator("--cluster-status-full").exitCode).toBe(0);
    expect(existsSync(lockDir)).toBe(false);
  });

  it("help and option errors print in the tool's style", () => {
    const help = coordinator("-h");
    expect(help.exitCode).toBe(0);
    expect(parseAdminOutput(help.stdout).ok).toBe(true);
    const bad = coordinator("--frobnicate");
    expect(bad.exitCode).toBe(1);
    expect(parsed(bad.stdout).errors).toEqual(["Unknown option (--frobnicate)."]);
    expect(coordinator("--set-group-state=readonly").exitCode).toBe(1);
    expect(coordinator("--set-group-state=readonly", "--group='group1'").exitCode).toBe(0);
    expect(runCoordinatorAdmin(["--cluster-status"], { env: {} })).toMatchObject({ exitCode: 2 });
  });

  it("the fault CLI explains itself on bad input", () => {
    expect(runFaultCli([stateDir, "explode"])).toMatchObject({ ok: false, message: expect.stringContaining("kill-node") });
    expect(runFaultCli([stateDir, "kill-node", "localhost:1"])).toMatchObject({ ok: false, message: "no node localhost:1" });
  });
});

describe("machbase faults during recovery", () => {
  it("a warehouse dying mid-sync is left scrapped and the sync source returns to normal", () => {
    killNode(stateDir, "localhost:30410", faultOptions());
    later(BASE_DURATIONS_MS.detectFailure);
    restartNode(stateDir, "localhost:30410", faultOptions());
    later(BASE_DURATIONS_MS.nodeStartup);
    expect(coordinator("--snapshot-recover=localhost:30410").exitCode).toBe(0);
    expect(coordinator("--exec-sync=localhost:30410").exitCode).toBe(0);
    later(BASE_DURATIONS_MS.syncStart);
    expect(row("localhost:30410").actualState).toBe("sync-standby");
    expect(coordinator("--shutdown-node=localhost:30420").exitCode).toBe(1);
    killNode(stateDir, "localhost:30410", faultOptions());
    later(BASE_DURATIONS_MS.syncRun + BASE_DURATIONS_MS.detectFailure);
    expect(row("localhost:30410")).toMatchObject({ desiredState: "scrapped", actualState: "unknown" });
    expect(row("localhost:30420")).toMatchObject({ desiredState: "normal", actualState: "normal", rpState: "stopped" });
  });
});
