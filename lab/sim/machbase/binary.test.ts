// The built executables (lab/build-sims.ts) as a lab host runs them: child processes, real clock,
// small time scale, output read through Keel's parser.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseAdminOutput, recordMaps } from "../../../lib/engines/machbase/parse";
import type { AdminOutput, FullStatusTable, StatusRow } from "../../../lib/engines/machbase/types";
import { buildSimulators } from "../../build-sims";
import { killNode, restartNode } from "../../faults/machbase";
import { ClusterStateSchema } from "./model";

const TOOLS = ["machcoordinatoradmin", "machdeployeradmin"] as const;
const SCALE = "0.02";
let binDir: string;
let stateDir: string;
let workDir: string;

beforeAll(async () => {
  binDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-bin-"));
  // A private build of just these tools: other suites may rebuild lab/.build/bin meanwhile.
  await buildSimulators({ outDir: binDir, tools: TOOLS });
}, 60_000);
afterAll(() => rmSync(binDir, { recursive: true, force: true }));

beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-state-"));
  workDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-cwd-"));
  return () => {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  };
});

type Run = { stdout: string; stderr: string; code: number };

function tool(name: (typeof TOOLS)[number], ...argv: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      path.join(binDir, name),
      argv,
      { cwd: workDir, env: { ...process.env, KEEL_LAB_STATE: stateDir, KEEL_LAB_TIME_SCALE: SCALE } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}
const coordinator = (...argv: string[]) => tool("machcoordinatoradmin", ...argv);

function parsed(run: Run): AdminOutput {
  const result = parseAdminOutput(run.stdout);
  if (!result.ok) throw new Error(`${result.error.message} (line ${result.error.lineNumber}: ${result.error.line})`);
  return result.value;
}

async function rows(): Promise<StatusRow[]> {
  const run = await coordinator("--cluster-status-full");
  expect(run.code).toBe(0);
  return (parsed(run).tables[0] as FullStatusTable).rows;
}

async function rowOf(name: string): Promise<StatusRow> {
  const found = (await rows()).find((r) => r.nodeName === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
}

/** Polls the real tool until the row satisfies `holds`; each poll is a full process run. */
async function waitForRow(name: string, holds: (row: StatusRow) => boolean, timeoutMs = 8_000): Promise<StatusRow> {
  const deadline = Date.now() + timeoutMs;
  let last = await rowOf(name);
  while (!holds(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${name}; last ${JSON.stringify(last)}`);
    last = await rowOf(name);
  }
  return last;
}

const NEW_PACKAGE_FILE = "machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";

describe("built machcoordinatoradmin / machdeployeradmin", () => {
  it("prints the banner and the seed's initial table", async () => {
    const run = await coordinator("--cluster-status-full");
    expect(run.code).toBe(0);
    const output = parsed(run);
    expect(output.banner).toMatchObject({ tool: "coordinator", releaseVersion: "321a012d05.develop" });
    expect(output.tables[0]?.rows).toHaveLength(9);
    const deployer = await tool("machdeployeradmin", "--check");
    expect(parsed(deployer).banner?.tool).toBe("deployer");
  });

  it("refuses a package whose file name is already registered, with a non-zero exit", async () => {
    writeFileSync(path.join(workDir, NEW_PACKAGE_FILE), "package bytes");
    const first = await coordinator("--add-package=new_package", `--file-name=./${NEW_PACKAGE_FILE}`);
    expect(first.code).toBe(0);
    expect(recordMaps(parsed(first))).toEqual([{ "Package Name": "new_package", "File Name": NEW_PACKAGE_FILE, "File Size": "13 bytes" }]);
    const again = await coordinator("--add-package=other_name", `--file-name=${path.join(workDir, NEW_PACKAGE_FILE)}`);
    expect(again.code).not.toBe(0);
    expect(parsed(again).errors).toEqual([`Package file (${NEW_PACKAGE_FILE}) is already registered as package (new_package).`]);
    const list = await coordinator("--list-package");
    expect(recordMaps(parsed(list)).map((r) => r["Package Name"])).toEqual(["machbase", "new_package"]);
  });

  it("refuses --snapshot-recover on a node that is not scrapped", async () => {
    const run = await coordinator("--snapshot-recover=localhost:30420");
    expect(run.code).not.toBe(0);
    expect(parsed(run).errors).toEqual(["Node (localhost:30420) is not scrapped."]);
  });

  it("rolling upgrade of one broker changes its package", async () => {
    writeFileSync(path.join(workDir, NEW_PACKAGE_FILE), "package bytes");
    expect((await coordinator("--add-package=new_package", `--file-name=${NEW_PACKAGE_FILE}`)).code).toBe(0);
    const node = "localhost:30320";
    expect((await coordinator(`--shutdown-node=${node}`)).code).toBe(0);
    expect(await rowOf(node)).toMatchObject({ desiredState: "shutdown", actualState: "shutdown" });
    expect((await coordinator(`--upgrade-node=${node}`, "--package-name=new_package")).code).toBe(0);
    expect((await coordinator(`--startup-node=${node}`)).code).toBe(0);
    await waitForRow(node, (r) => r.actualState === "normal" && r.desiredState === "normal");
    const listed = recordMaps(parsed(await coordinator("--list-node")));
    expect(listed.find((r) => r["Node Name"] === node)?.["Package Name"]).toBe("new_package");
    expect(listed.find((r) => r["Node Name"] === "localhost:30310")?.["Package Name"]).toBe("machbase");
  });

  it("recovers a scrapped warehouse on the real clock", async () => {
    const env = { KEEL_LAB_TIME_SCALE: SCALE };
    expect(killNode(stateDir, "localhost:30410", { env })).toMatchObject({ ok: true });
    await waitForRow("localhost:30410", (r) => r.desiredState === "scrapped" && r.actualState === "unknown");
    expect((await coordinator("--set-group-state=readonly", "--group=group1")).code).toBe(0);
    expect(restartNode(stateDir, "localhost:30410", { env })).toMatchObject({ ok: true });
    await waitForRow("localhost:30410", (r) => r.actualState === "scrapped");
    expect((await coordinator("--snapshot-recover=localhost:30410")).code).toBe(0);
    const sync = await coordinator("--exec-sync=localhost:30410");
    expect(sync.code).toBe(0);
    const synced = await waitForRow("localhost:30410", (r) => r.actualState === "normal");
    expect(synced).toMatchObject({ desiredState: "normal", rpState: "stopped", groupState: "readonly" });
    expect((await coordinator("--set-group-state=normal", "--group=group1")).code).toBe(0);
    expect(await rowOf("localhost:30420")).toMatchObject({ groupState: "normal", actualState: "normal", rpState: "stopped" });
  });

  it("20 concurrent invocations leave a consistent state file", async () => {
    const adds = Array.from({ length: 10 }, (_, i) => {
      const file = `machbase-ent-c${i}.develop-LINUX-X86-64-release-lightweight.tgz`;
      writeFileSync(path.join(workDir, file), `package ${i}`);
      return coordinator(`--add-package=pkg${i}`, `--file-name=${file}`);
    });
    const toggles = Array.from({ length: 5 }, (_, i) => coordinator(`--set-group-state=${i % 2 ? "normal" : "readonly"}`, "--group=group2"));
    const reads = Array.from({ length: 5 }, () => coordinator("--cluster-status-full"));
    const runs = await Promise.all([...adds, ...toggles, ...reads]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(parsed(run).errors).toEqual([]);
    }
    const state = ClusterStateSchema.parse(JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8")));
    expect(state.packages.map((p) => p.name).sort()).toEqual(["machbase", ...Array.from({ length: 10 }, (_, i) => `pkg${i}`)].sort());
    expect(state.nodes).toHaveLength(9);
    expect(existsSync(path.join(stateDir, "state.lock"))).toBe(false);
  }, 60_000);

  it("reads an initial topology from topology.json", async () => {
    writeFileSync(
      path.join(stateDir, "topology.json"),
      JSON.stringify({
        release: "abc123.official",
        nodes: [
          { type: "coordinator", name: "127.0.0.11:5101" },
          { type: "deployer", name: "127.0.0.11:5201" },
          { type: "broker", name: "127.0.0.12:5301" },
          { type: "warehouse", name: "127.0.0.13:5401", group: "group1" },
          { type: "warehouse", name: "127.0.0.14:5401", group: "group1" },
        ],
      }),
    );
    const run = await coordinator("--cluster-status-full");
    const output = parsed(run);
    expect(output.banner?.releaseVersion).toBe("abc123.official");
    expect(output.tables[0]?.rows.map((r) => [r.nodeName, r.groupName])).toEqual([
      ["127.0.0.11:5101", "Coordinator"],
      ["127.0.0.11:5201", "Deployer"],
      ["127.0.0.12:5301", "Broker"],
      ["127.0.0.13:5401", "group1"],
      ["127.0.0.14:5401", "group1"],
    ]);
  });
});
