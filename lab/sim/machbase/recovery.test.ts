// The seed's scrapped-warehouse recovery, step by step, on a simulated clock: every table the seed
// shows must come out of the simulator in order, byte for byte where the seed block is tool output.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAdminOutput, parseStatusTable } from "../../../lib/engines/machbase/parse";
import type { FullStatusTable } from "../../../lib/engines/machbase/types";
import { killNode, restartNode } from "../../faults/machbase";
import { runCoordinatorAdmin } from "./cli";
import { BASE_DURATIONS_MS } from "./timing";

const fixtureDir = path.join(import.meta.dirname, "../../../lib/engines/machbase/fixtures");
const fixture = (name: string) => readFileSync(path.join(fixtureDir, name), "utf8");
const SCALE = 0.001;
const step = (ms: number) => ms * SCALE + 1;

let stateDir: string;
let clock: number;
let env: Record<string, string>;

beforeEach(() => {
  stateDir = mkdtempSync(path.join(tmpdir(), "keel-machbase-recovery-"));
  clock = 1_700_000_000_000;
  env = { KEEL_LAB_STATE: stateDir, KEEL_LAB_TIME_SCALE: String(SCALE) };
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

function coordinator(...argv: string[]) {
  return runCoordinatorAdmin(argv, { env, now: () => clock });
}

/** `--cluster-status-full`, parsed with Keel's parser. */
function status(): { text: string; table: FullStatusTable } {
  const run = coordinator("--cluster-status-full");
  expect(run.exitCode).toBe(0);
  const parsed = parseAdminOutput(run.stdout);
  if (!parsed.ok) throw new Error(`${parsed.error.message}: ${parsed.error.line}`);
  const table = parsed.value.tables[0];
  if (parsed.value.tables.length !== 1 || table?.layout !== "full") throw new Error("expected one full table");
  const text = run.stdout.split("\n").filter((l) => l.startsWith("+") || l.startsWith("|")).join("\n") + "\n";
  return { text, table };
}

function seedTable(file: string): FullStatusTable {
  const parsed = parseStatusTable(fixture(file));
  if (!parsed.ok || parsed.value.layout !== "full") throw new Error(`fixture ${file} does not parse`);
  return parsed.value;
}

describe("scrapped warehouse recovery (seed 000)", () => {
  it("walks through every table the seed shows", () => {
    // /*최초 cluster 상태*/
    expect(status().text).toBe(fixture("initial-cluster.txt"));

    // /*group1의 warehouse 0이 죽었을 때*/ — detected after the detection delay, not before.
    expect(killNode(stateDir, "localhost:30410", { env, now: clock })).toMatchObject({ ok: true });
    expect(status().table).toEqual(seedTable("initial-cluster.txt"));
    clock += step(BASE_DURATIONS_MS.detectFailure);
    expect(status().table).toEqual(seedTable("warehouse-dead-detected.txt"));

    const readonly = coordinator("--set-group-state=readonly", "--group=group1");
    expect(readonly).toMatchObject({ exitCode: 0, stdout: fixture("set-group-state-readonly.txt") });

    // A dead warehouse cannot be recovered yet.
    expect(coordinator("--snapshot-recover=localhost:30410").exitCode).toBe(1);

    // #죽은 Warehouse를 다시 startup 수행한다
    expect(restartNode(stateDir, "localhost:30410", { env, now: clock })).toMatchObject({ ok: true });
    clock += step(BASE_DURATIONS_MS.nodeStartup);
    expect(status().text).toBe(fixture("warehouse-restarted-scrapped.txt"));

    expect(coordinator("--snapshot-recover=localhost:30410")).toMatchObject({ exitCode: 0, stdout: fixture("snapshot-recover.txt") });
    expect(coordinator("--exec-sync=localhost:30410")).toMatchObject({ exitCode: 0, stdout: fixture("exec-sync.txt") });

    clock += step(BASE_DURATIONS_MS.syncStart);
    expect(status().text).toBe(fixture("sync-in-progress.txt"));
    clock += step(BASE_DURATIONS_MS.syncRun);
    expect(status().text).toBe(fixture("sync-complete.txt"));

    expect(coordinator("--set-group-state=normal", "--group=group1")).toMatchObject({ exitCode: 0, stdout: fixture("set-group-state-normal.txt") });
  });

  it("refuses --snapshot-recover and --exec-sync on a node that is not scrapped", () => {
    const recover = coordinator("--snapshot-recover=localhost:30420");
    expect(recover.exitCode).toBe(1);
    const parsed = parseAdminOutput(recover.stdout);
    expect(parsed.ok && parsed.value.errors).toEqual(["Node (localhost:30420) is not scrapped."]);
    expect(coordinator("--exec-sync=localhost:30420").exitCode).toBe(1);
    expect(coordinator("--snapshot-recover=localhost:30110").exitCode).toBe(1);
  });
});
