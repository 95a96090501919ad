// Seed 002's forced gcware snapshot flush, driven in the browser on the lab's own GBase cluster
// (e2e-gbase: 2 hosts, a coordinator with gcware and a data node on each, V953): a DBA starts it, a second
// DBA approves stopping the cluster, and every gcware node ends with a snapshot newer than recorded. Then
// a gcware that will not open (fault refuse-open): the run stops at that node's start, naming it.
import { e2eEstate } from "../lab/estate/definition";
import { summaryLine } from "../lib/engines/gbase/procedures/snapshot-flush";
import { expect, test, unique } from "./fixtures";
import { approveAsSecondDba, createSecondDba, injectFault, openProcedure, review, start, stepIndex, stepOutput, stepRow } from "./procedure-runs";

const estate = e2eEstate();
const cluster = estate.clusters.find((c) => c.name === "e2e-gbase")!;
const coordinators = cluster.nodes.filter((n) => n.type === "coordinator").map((n) => n.name);
const TITLE = "gcware snapshot flush (before a V95 upgrade)";
// The topology's initial snapshot (lab/estate/definition.ts gbaseCluster).
const INITIAL = "SNAPSHOT.142.37975";

const snapshotOrder = (name: string): [number, number] => {
  const m = /^SNAPSHOT\.(\d+)\.(\d+)$/.exec(name);
  if (!m) throw new Error(`not a snapshot name: ${name}`);
  return [Number(m[1]), Number(m[2])];
};
const newer = (a: string, b: string): boolean => {
  const [ta, ia] = snapshotOrder(a);
  const [tb, ib] = snapshotOrder(b);
  return ta > tb || (ta === tb && ia > ib);
};

test.describe.serial("GBase forced gcware snapshot flush on the lab", () => {
  test("every gcware node flushes to a newer snapshot: old → new per node, gcware stopped again", async ({ asRole }) => {
    test.setTimeout(150_000);
    expect(coordinators).toEqual(["coordinator1", "coordinator2"]);
    const dba2 = await createSecondDba(asRole);
    const page = await asRole("DBA");
    await openProcedure(page, cluster.name, TITLE);
    await page.getByLabel("GBase version").selectOption("V953");
    await page.getByLabel("Record name").fill(unique("e2e-flush"));
    const plan = await review(page);
    // The one precheck: gcware_services manages gcware on a V953 coordinator.
    await expect(plan.getByTestId("precheck-result")).toHaveCount(1);
    await expect(plan.getByTestId("precheck-result")).toHaveText("passes");
    const runId = await start(page);

    await approveAsSecondDba(page, runId, dba2);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "SUCCEEDED", { timeout: 120_000 });
    await expect(page.getByTestId("state-reason")).toHaveText(/^All \d+ steps succeeded\.$/);
    await expect(page.getByTestId("decided-by")).toContainText(`approved by ${dba2.email}`);

    // Every gcware was OPEN before the flush was requested; python printed 1 ("sent").
    await expect(stepRow(page, "Every gcware is OPEN in gcadmin")).toHaveAttribute("data-state", "SUCCEEDED");
    expect((await stepOutput(page, "gcware.flush_statemachine() on one coordinator")).trim()).toBe("1");

    // The summary, per node, from what the run page shows: the recorded listing, then the listing now.
    const summaries: string[] = [];
    for (const node of coordinators) {
      const title = `${node}: old and new snapshot version`;
      await expect(stepRow(page, title)).toHaveAttribute("data-state", "SUCCEEDED");
      const output = await stepOutput(page, title);
      const line = summaryLine(node, { exitCode: 0, stdout: output, stderr: "" });
      summaries.push(line);
      // The run page shows the same line as the step's result.
      await expect(page.getByTestId(`step-message-${await stepIndex(page, title)}`)).toHaveText(line);
      const m = new RegExp(`^${node}: (SNAPSHOT\\.\\d+\\.\\d+) → (SNAPSHOT\\.\\d+\\.\\d+) \\(flushed\\)$`).exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]).toBe(INITIAL);
      expect(newer(m![2]!, m![1]!), line).toBe(true);
      // No flush left in progress: no SNAPSHOT.*.s directory in the listing now.
      const now = output.split("--- keel:").at(-1) ?? "";
      expect(now).not.toMatch(/SNAPSHOT\.\d+\.\d+\.s\b/);
      // And gcware was stopped again on that node afterwards.
      await expect(stepRow(page, `${node}: gcware_services gcware stop`).last()).toHaveAttribute("data-state", "SUCCEEDED");
    }
    expect(summaries).toHaveLength(2);
  });

  test("a gcware that will not open stops the run at that node's start, naming it (refuse-open)", async ({ asRole }) => {
    test.setTimeout(150_000);
    const broken = "coordinator2";
    await injectFault(estate, cluster.name, "refuse-open", broken);
    try {
      const dba2 = await createSecondDba(asRole);
      const page = await asRole("DBA");
      await openProcedure(page, cluster.name, TITLE);
      await page.getByLabel("GBase version").selectOption("V953");
      await page.getByLabel("Record name").fill(unique("e2e-refuse"));
      await review(page);
      const runId = await start(page);
      await approveAsSecondDba(page, runId, dba2);

      const view = page.getByTestId("run-view");
      await expect(view).toHaveAttribute("data-run-state", "FAILED", { timeout: 120_000 });
      const title = `${broken}: gcware_services gcware start`;
      const row = stepRow(page, title);
      await expect(row).toHaveAttribute("data-state", "FAILED");
      await expect(row).toContainText(cluster.nodes.find((n) => n.name === broken)!.host);
      const index = Number(await row.getAttribute("data-step"));
      // Next to the step: gcware_services' own [FAILED], and what to do, naming the node.
      await expect(page.getByTestId(`step-output-${index}`)).toContainText("[FAILED]");
      await expect(page.getByTestId(`step-help-${index}`)).toContainText(`gcware did not start on ${broken}`);
      await expect(page.getByTestId("state-reason")).toContainText(`(${title}) failed`);
      await expect(page.getByTestId("state-reason")).toContainText(`Read ${broken}'s gcware log`);
      // The other node's gcware did start; the wait for OPEN and the flush never ran.
      await expect(stepRow(page, "coordinator1: gcware_services gcware start")).toHaveAttribute("data-state", "SUCCEEDED");
      await expect(stepRow(page, "Every gcware is OPEN in gcadmin")).toHaveAttribute("data-state", "PENDING");
      await expect(stepRow(page, "gcware.flush_statemachine() on one coordinator")).toHaveAttribute("data-state", "PENDING");
    } finally {
      await injectFault(estate, cluster.name, "allow-open", broken);
    }
  });
});
