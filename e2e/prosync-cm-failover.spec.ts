// Seed 003 §5–6's CM failover set-up, driven in the browser on the lab's own ProSync cluster (e2e-prosync:
// agent1 on tibero1, agent2 on tibero2, CM cluster cls_prosync, group CM1). A DBA starts it, a second DBA
// approves restarting CM and Tibero node by node; CM then lists the group and both agents UP and
// prs_adm reports every agent and process running. Then agent2's CM script gets #!/bin/sh (fault
// agent-script-sh): the precheck refuses it before anything is stopped, naming the script and the fix.
import type { Page } from "@playwright/test";

import { e2eEstate } from "../lab/estate/definition";
import { parseStatus } from "../lib/engines/prosync/parse-status";
import { parseShowAll } from "../lib/engines/tibero/parse-cmrctl";
import { expect, test } from "./fixtures";
import { approveAsSecondDba, createSecondDba, injectFault, openProcedure, review, start, stepOutput, stepRow } from "./procedure-runs";

const estate = e2eEstate();
const cluster = estate.clusters.find((c) => c.name === "e2e-prosync")!;
const TITLE = "CM failover set-up";

async function fillForm(page: Page): Promise<void> {
  await page.locator("#param-group").fill("CM1");
  await page.locator("#param-clusterName").fill("cls_prosync");
  await expect(page.locator("#param-failover")).toBeChecked();
  await page.locator("#param-agents").fill("agent1:0, agent2:1");
}

/** The last `cmrctl show all` a wait printed (each change is a `--- <time>` block). */
function lastShowAll(output: string): string {
  return output.split(/^--- \d{4}-\d\d-\d\dT[^\n]*\n/m).at(-1) ?? "";
}

test.describe.serial("ProSync CM failover set-up on the lab", () => {
  test("CM_ID in each CM tip, the prosync group with failover, both agents: all UP in cmrctl, all running in prs_adm", async ({ asRole }) => {
    test.setTimeout(150_000);
    const dba2 = await createSecondDba(asRole);
    const page = await asRole("DBA");
    await openProcedure(page, cluster.name, TITLE);
    await fillForm(page);
    const plan = await review(page);
    // Both agents' CM scripts pass: bash, TB_HOME, PRS_HOME and AGENT_ID set.
    await expect(plan.getByTestId("precheck-result")).toHaveCount(2);
    for (const result of await plan.getByTestId("precheck-result").all()) await expect(result).toHaveText("passes");
    const runId = await start(page);

    await approveAsSecondDba(page, runId, dba2);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "SUCCEEDED", { timeout: 120_000 });
    await expect(page.getByTestId("state-reason")).toHaveText(/^All \d+ steps succeeded\.$/);

    // CM_ID as the first setting of each node's CM tip (added, or already there: never twice).
    for (const [agent, cmId] of [["agent1", 0], ["agent2", 1]] as const) {
      await expect(stepRow(page, `${agent}: the CM tip starts with CM_ID=${cmId}`)).toHaveAttribute("data-state", "SUCCEEDED");
      expect(await stepOutput(page, `${agent}: CM_ID=${cmId} as the first setting`)).toMatch(new RegExp(`^CM_ID=${cmId} (added to|is already set in) .*/cm_tibero\\d\\.tip$`, "m"));
      expect(await stepOutput(page, `${agent}: tbboot`)).toContain("Tibero instance started up (NORMAL mode).");
    }

    // cmrctl show all after the group start: both CMs, every resource UP, group CM1 and each agent UP.
    const showAll = parseShowAll(lastShowAll(await stepOutput(page, "Group CM1 and every agent UP")));
    expect(showAll.ok, JSON.stringify(showAll)).toBe(true);
    if (!showAll.ok) return;
    expect(showAll.value.nodes.map((n) => n.cmName).sort()).toEqual(["cm_tibero1", "cm_tibero2"]);
    for (const node of showAll.value.nodes) {
      for (const r of node.resources) expect(`${node.cmName} ${r.type} ${r.name} ${r.status}`).toMatch(/ UP(\(NRML\))?$/);
      expect(node.resources.find((r) => r.type === "group" && r.name === "CM1")?.status).toBe("UP");
    }
    const agents = showAll.value.nodes.flatMap((n) => n.resources.filter((r) => r.type === "agent").map((r) => `${r.name} ${r.status}`));
    expect(agents.sort()).toEqual(["agent1 UP", "agent2 UP"]);

    // prs_adm status: both agents and every process of the instance running.
    const status = parseStatus(await stepOutput(page, "prs_adm status: every agent and process running"));
    expect(status.ok, JSON.stringify(status)).toBe(true);
    if (!status.ok) return;
    expect(status.value.agents.map((a) => `${a.id} ${a.state}`).sort()).toEqual(["agent1 running", "agent2 running"]);
    expect(status.value.instances.length).toBeGreaterThan(0);
    for (const p of status.value.instances.flatMap((i) => i.processes)) expect(`${p.name} ${p.state}`).toMatch(/ running$/);
  });

  test("an agent script with #!/bin/sh is refused before anything stops, naming the script and the fix (agent-script-sh)", async ({ asRole }) => {
    test.setTimeout(90_000);
    const script = (await injectFault(estate, cluster.name, "agent-script-sh", "agent2")).match(/\(node (\/\S+prs_1\.sh)\)/)?.[1];
    expect(script).toBeDefined();
    try {
      const page = await asRole("DBA");
      await openProcedure(page, cluster.name, TITLE);
      await fillForm(page);
      const plan = await review(page);
      // The wizard already shows it: agent2's precheck fails now.
      await expect(page.getByTestId("precheck-warning")).toContainText("1 precheck(s) fail now");
      const agent2 = plan.locator("tr[data-step]").filter({ hasText: "agent2: $TB_HOME/prs_1.sh runs under bash" });
      await expect(agent2.getByTestId("precheck-result")).toContainText("fails");
      await expect(agent2.getByTestId("precheck-result")).toContainText("change the first line to #!/bin/bash");
      await start(page);

      const view = page.getByTestId("run-view");
      await expect(view).toHaveAttribute("data-run-state", "FAILED", { timeout: 60_000 });
      const row = stepRow(page, "agent2: $TB_HOME/prs_1.sh runs under bash");
      await expect(row).toHaveAttribute("data-state", "FAILED");
      const index = Number(await row.getAttribute("data-step"));
      const message = page.getByTestId(`step-message-${index}`);
      await expect(message).toContainText(`${script!}: 7: source: not found`);
      await expect(message).toContainText("CM would get exit 127 — change the first line to #!/bin/bash");
      await expect(page.getByTestId("state-reason")).toContainText("agent2");
      // Nothing was stopped: the approval and every action after the failed precheck stayed pending.
      await expect(stepRow(page, "Approve restarting CM and Tibero node by node")).toHaveAttribute("data-state", "PENDING");
      for (const agent of ["agent1", "agent2"]) await expect(stepRow(page, `${agent}: tbdown`)).toHaveAttribute("data-state", "PENDING");
    } finally {
      await injectFault(estate, cluster.name, "agent-script-bash", "agent2");
    }
  });
});
