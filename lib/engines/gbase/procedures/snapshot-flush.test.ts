import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { outline, planOf, verdict } from "../../machbase/procedures/test-context.test-fixture";
import { readFixture } from "../fixtures";
import { RECORD_SEPARATOR } from "../snapshot-panel";
import { COMPARE_SCRIPT, FLUSH_SCRIPT, RECORD_SCRIPT } from "./flush-scripts";
import { snapshotFlush, summaryLine } from "./snapshot-flush";
import { labCluster, seedCluster } from "./test-context.test-fixture";

const BEFORE = [
  "total 16",
  "-rw-r--r--. 1 gbase gbase     49 Dec 23 16:10 GCWARE_META.A",
  "-rw-r--r--. 1 gbase gbase     40 Dec 23 16:10 GCWARE_META.B",
  "-rw-r--r--. 1 gbase gbase    320 Dec 23 16:10 REDOLOG.35210",
  "-rw-r--r--. 1 gbase gbase 844096 Dec 23 16:10 REDOLOG.37975",
  "drwxr-xr-x. 3 gbase gbase     69 Dec 23 16:10 SNAPSHOT.141.35210",
  "drwxr-xr-x. 3 gbase gbase     69 Dec 23 16:10 SNAPSHOT.142.37975",
  "",
].join("\n");
const AFTER = readFixture("llAfterFlush");
const IN_PROGRESS = `${BEFORE}drwxr-xr-x. 3 gbase gbase     69 Dec 23 16:19 SNAPSHOT.142.37977.s\n`;
const probe = (before: string, now: string) => `${before}${RECORD_SEPARATOR}\n${now}`;
const ALL_OPEN = readFixture("gcadminOneGcwareOpen").replaceAll("| CLOSE  |  CLOSE   |", "|  OPEN  |  CLOSE   |");

const GCWARE = ["coordinator1", "coordinator2", "coordinator3"];
const HOSTS = ["gbase1", "gbase2", "gbase3"];

describe("gbase.snapshot-flush", () => {
  it("compiles the seed's order on the lab: record, approve, stop all, start only gcware (V953), OPEN, flush, wait per node, stop, summary", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V953", recordId: "t1" }, labCluster));
    const perNode = (block: string, steps: string[]) => GCWARE.flatMap((_, i) => steps.map((s) => `${block}[${i}]/${s} @${HOSTS[i]}`));
    expect(outline(plan)).toEqual([
      "version-script precheck @gbase1",
      ...perNode("record", ["record-snapshot action", "recorded verify"]),
      "approve-stop confirm",
      ...HOSTS.map((h, i) => `stop-all[${i}]/stop-services action @${h}`),
      ...perNode("stop-gcware", ["stop-gcware-before action"]),
      ...perNode("start-gcware", ["start-only-gcware action"]),
      "all-open wait-until @gbase1",
      "flush action @gbase1",
      ...perNode("flushed", ["new-snapshot wait-until"]),
      ...perNode("stop-after", ["stop-gcware-after action"]),
      ...perNode("summary", ["versions verify"]),
    ]);
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    expect(byKey.get("version-script")).toMatchObject({ argv: ["gcware_services", "gcware", "status"] });
    expect(byKey.get("stop-all[0]/stop-services")).toMatchObject({ argv: ["gcluster_services", "all", "stop"], host: { hostName: "gbase1", hostAddress: "127.0.0.25" } });
    expect(byKey.get("start-gcware[1]/start-only-gcware")).toMatchObject({ argv: ["gcware_services", "gcware", "start"], host: { hostName: "gbase2", nodeName: "coordinator2" } });
    expect(byKey.get("stop-after[2]/stop-gcware-after")).toMatchObject({ argv: ["gcware_services", "gcware", "stop"] });
    expect(byKey.get("all-open")).toMatchObject({ argv: ["gcadmin"], timeoutMs: 120_000, pollMs: 3_000 });
    expect(byKey.get("flush")).toMatchObject({ argv: ["sh", "-c", FLUSH_SCRIPT, "sh", "python", "-c", "import gcware; print(gcware.flush_statemachine())"] });
    expect(byKey.get("record[1]/record-snapshot")).toMatchObject({
      argv: ["sh", "-c", RECORD_SCRIPT, "sh", "", expect.stringMatching(/\/gbase-lab\.homes\/gbase1\/gcware$/), "/tmp/keel-gcware-flush.t1.coordinator2"],
      idempotent: true,
    });
    expect(byKey.get("flushed[0]/new-snapshot")).toMatchObject({ argv: expect.arrayContaining([COMPARE_SCRIPT, "/tmp/keel-gcware-flush.t1.coordinator1"]), timeoutMs: 600_000 });
    expect(byKey.get("approve-stop")).toMatchObject({ destructive: true, text: expect.stringContaining("gbase1, gbase2, gbase3") });
    expect(plan.requiresSecondDba).toBe(true);
    expect(planAsText(plan)).toContain("$ 'gcware_services' 'gcware' 'start'");
  });

  it("uses gcluster_services for gcware on V952", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V952", recordId: "t1" }, seedCluster));
    const argv = (key: string) => plan.steps.find((s) => s.key === key);
    expect(argv("start-gcware[0]/start-only-gcware")).toMatchObject({ argv: ["gcluster_services", "gcware", "start"] });
    expect(argv("stop-after[0]/stop-gcware-after")).toMatchObject({ argv: ["gcluster_services", "gcware", "stop"] });
    expect(argv("version-script")).toMatchObject({ argv: ["gcluster_services", "gcware", "status"] });
  });

  it("defaults the record name to the plan's time and refuses bad parameters and settings", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V953" }, labCluster));
    expect(plan.params.recordId).toMatch(/^\d{8}T\d{6}Z$/);
    expect(compilePlan(snapshotFlush, { version: "V954", recordId: "a b" }, labCluster)).toMatchObject({
      ok: false,
      errors: [{ kind: "param", field: "version" }, { kind: "param", field: "recordId" }],
    });
    const bad = compilePlan(snapshotFlush, { version: "V953", recordId: "t" }, { ...labCluster, settings: { GCWARE_BASE: "/opt/$(reboot)" } });
    expect(bad).toMatchObject({ ok: false, errors: expect.arrayContaining([{ kind: "step", step: "record[0]/record-snapshot", message: expect.stringMatching(/^command refused: GCWARE_BASE: /) }]) });
    expect(compilePlan(snapshotFlush, { version: "V953" }, { ...labCluster, engine: "TIBERO" })).toMatchObject({ ok: false, errors: [{ kind: "procedure" }] });
  });

  it("checks the version's script by its LSB status exit", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V953", recordId: "t" }, seedCluster));
    expect(verdict(snapshotFlush, plan, "version-script", "gcware is stopped\n", 3)).toEqual({ ok: true });
    expect(verdict(snapshotFlush, plan, "version-script", "", 127)).toMatchObject({ ok: false, reason: expect.stringContaining("is the cluster V952?") });
  });

  it("refuses to flush until every gcware is OPEN, naming the closed ones (the seed's gcadmin)", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V952", recordId: "t" }, seedCluster));
    expect(verdict(snapshotFlush, plan, "all-open", readFixture("gcadminOneGcwareOpen"))).toEqual({
      ok: false,
      reason: "gcware not OPEN on coordinator1 CLOSE, coordinator3 CLOSE; the flush is refused until every gcware is OPEN",
    });
    expect(verdict(snapshotFlush, plan, "all-open", ALL_OPEN)).toEqual({ ok: true });
    expect(verdict(snapshotFlush, plan, "all-open", "", 1)).toMatchObject({ ok: false, reason: "gcadmin: the command exited 1" });
    const twoNodes = ALL_OPEN.split("\n").filter((l, i, all) => !l.includes("coordinator3") && !(l.startsWith("----") && all[i - 1]?.includes("coordinator3"))).join("\n");
    expect(verdict(snapshotFlush, plan, "all-open", twoNodes)).toMatchObject({ ok: false, reason: expect.stringContaining("gcadmin does not list coordinator3") });
  });

  it("waits per node for a snapshot newer than recorded with no .s, as the seed's listings show", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V952", recordId: "t" }, seedCluster));
    expect(verdict(snapshotFlush, plan, "flushed[0]/new-snapshot", probe(BEFORE, AFTER))).toEqual({ ok: true });
    expect(verdict(snapshotFlush, plan, "flushed[1]/new-snapshot", probe(BEFORE, IN_PROGRESS))).toEqual({
      ok: false,
      reason: "coordinator2: SNAPSHOT.142.37975, writing SNAPSHOT.142.37977.s (flush in progress)",
    });
    expect(verdict(snapshotFlush, plan, "flushed[2]/new-snapshot", probe(BEFORE, BEFORE))).toEqual({
      ok: false,
      reason: "coordinator3: still SNAPSHOT.142.37975, no newer snapshot than the recorded SNAPSHOT.142.37975 yet",
    });
    expect(verdict(snapshotFlush, plan, "flushed[0]/new-snapshot", "", 1)).toMatchObject({ ok: false, reason: "the command exited 1" });
    expect(verdict(snapshotFlush, plan, "flushed[0]/new-snapshot", BEFORE)).toMatchObject({ ok: false, reason: expect.stringContaining("no current listing") });
    expect(verdict(snapshotFlush, plan, "summary[0]/versions", probe(BEFORE, AFTER))).toEqual({ ok: true, note: "coordinator1: SNAPSHOT.142.37975 → SNAPSHOT.142.37977 (flushed)" });
    expect(summaryLine("coordinator1", { exitCode: 0, stdout: probe(BEFORE, AFTER), stderr: "" })).toBe("coordinator1: SNAPSHOT.142.37975 → SNAPSHOT.142.37977 (flushed)");
  });

  it("refuses a record without a completed snapshot", () => {
    const plan = planOf(compilePlan(snapshotFlush, { version: "V952", recordId: "t" }, seedCluster));
    expect(verdict(snapshotFlush, plan, "record[0]/recorded", probe(BEFORE, BEFORE))).toEqual({ ok: true });
    const none = "total 0\n-rw-r--r--. 1 gbase gbase 49 Dec 23 16:10 GCWARE_META.A\n";
    expect(verdict(snapshotFlush, plan, "record[0]/recorded", probe(none, none))).toMatchObject({ ok: false, reason: expect.stringMatching(/^coordinator1 has no completed SNAPSHOT/) });
  });
});
