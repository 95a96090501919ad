// Seed 001 §15.5's TAC database creation, driven in the browser on two lab TACs that have no database yet
// (lab/estate/definition.ts: tiberoCluster(…, { database: "none" }); tips written, CM down): a DBA fills
// the wizard, choosing SYS's password as a stored PASSWORD credential, a second DBA approves, and the run
// creates the database, adds thread 1, runs system.sh and boots tac2. On the second TAC tac2 will not boot
// (fault boot-fail): the run fails at that step with tbboot's TBR code and the node named.
import type { Page } from "@playwright/test";

import { e2eEstate } from "../lab/estate/definition";
import { parseShowAll } from "../lib/engines/tibero/parse-cmrctl";
import { api, expect, test, unique } from "./fixtures";
import { approveAsSecondDba, createSecondDba, injectFault, openProcedure, review, start, stepOutput, stepRow } from "./procedure-runs";

const estate = e2eEstate();
const TITLE = "Create the TAC database";

/** A PASSWORD credential holding SYS's password, made through the API; returns its id. */
async function sysCredential(page: Page, password: string): Promise<{ id: string; name: string }> {
  const name = unique("tac-sys");
  const created = await api(page.request, "POST", "/api/v1/credentials", { name, kind: "PASSWORD", secret: password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.data!.id, name };
}

/** The wizard's form as seed 001 fills it: DB "tac", 2 instances, MAXINSTANCES 8, MSWIN949, shared FS. */
async function fillForm(page: Page, credential: { id: string; name: string }): Promise<void> {
  await page.locator("#param-dbName").fill("tac");
  await expect(page.locator("#param-sysCredential").locator("option", { hasText: credential.name })).toHaveText(`${credential.name} (password)`);
  await page.locator("#param-sysCredential").selectOption(credential.id);
  await page.locator("#param-instances").fill("2");
  await page.locator("#param-maxInstances").fill("8");
  await page.locator("#param-characterSet").fill("MSWIN949");
  await page.locator("#param-storage").selectOption("shared-fs");
  await page.locator("#param-dbCreateFileDest").fill("/tbdata/tac");
}

/** The last `cmrctl show all` a wait printed (each change is a `--- <time>` block). */
function lastShowAll(output: string): string {
  return output.split(/^--- \d{4}-\d\d-\d\dT[^\n]*\n/m).at(-1) ?? "";
}

test.describe("Tibero TAC database creation on the lab", () => {
  test("creates the database with SYS's password from a stored credential; every resource UP, thread 1 enabled", async ({ asRole }) => {
    test.setTimeout(150_000);
    const cluster = estate.clusters.find((c) => c.name === "e2e-tac-create")!;
    const dba2 = await createSecondDba(asRole);
    const page = await asRole("DBA");
    const password = `Sys_${unique("pw").replace(/-/g, "_")}`;
    const credential = await sysCredential(page, password);

    await openProcedure(page, cluster.name, TITLE);
    await fillForm(page, credential);
    const plan = await review(page);
    // Each instance's tip passes: TAC parameters, THREAD 0/UNDO0 on tac1, 1/UNDO1 on tac2.
    await expect(plan.getByTestId("precheck-result")).toHaveCount(2);
    for (const result of await plan.getByTestId("precheck-result").all()) await expect(result).toHaveText("passes");
    await expect(plan).toContainText('CREATE DATABASE "tac"');
    await expect(plan).toContainText("stdin: secret of a stored credential");
    await expect(plan).not.toContainText(password);
    const runId = await start(page);

    await approveAsSecondDba(page, runId, dba2);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "SUCCEEDED", { timeout: 120_000 });
    await expect(page.getByTestId("state-reason")).toHaveText(/^All \d+ steps succeeded\.$/);

    expect(await stepOutput(page, "tac1: Boot TBCM")).toContain("Tibero cluster manager started up.");
    expect(await stepOutput(page, "tac1: CREATE DATABASE")).toContain("Database created.");
    const threads = await stepOutput(page, "tac1: Undo tablespaces and redo threads for the other instances");
    expect(threads).toContain("Tablespace 'UNDO1' created.");
    expect(threads).toContain("Database altered.");
    expect(await stepOutput(page, "tac1: Run system.sh")).toMatch(/^Creating the role DBA\.\.\.$/m);
    expect(await stepOutput(page, "tac2: Boot instance 1")).toContain("Tibero instance started up (NORMAL mode).");

    // cmrctl show all: both CMs listed, every resource UP, both instances UP(NRML).
    const showAll = parseShowAll(lastShowAll(await stepOutput(page, "Every instance is UP(NRML) in cmrctl show all")));
    expect(showAll.ok, JSON.stringify(showAll)).toBe(true);
    if (!showAll.ok) return;
    expect(showAll.value.nodes.map((n) => n.cmName).sort()).toEqual(["cm_tac1", "cm_tac2"]);
    for (const node of showAll.value.nodes) {
      expect(node.resources.length).toBeGreaterThan(0);
      for (const r of node.resources) expect(`${node.cmName} ${r.type} ${r.name} ${r.status}`).toMatch(/ UP(\(NRML\))?$/);
      expect(node.resources.filter((r) => r.type === "db").map((r) => r.status)).toEqual(["UP(NRML)"]);
    }
    // V$THREAD through tbsql as SYS with the credential's password: threads 0 and 1 enabled.
    const vThread = await stepOutput(page, "V$THREAD: every instance's redo thread is enabled");
    expect(vThread).toMatch(/^(SQL>\s*)?0\s+OPEN\s+PUBLIC\s*$/m);
    expect(vThread).toMatch(/^(SQL>\s*)?1\s+OPEN\s+PUBLIC\s*$/m);
    // The secret never reaches the page.
    expect(await page.content()).not.toContain(password);
  });

  test("an instance that fails to boot stops the run at its boot, with tbboot's TBR code and the node named (boot-fail)", async ({ asRole }) => {
    test.setTimeout(150_000);
    const cluster = estate.clusters.find((c) => c.name === "e2e-tac-bootfail")!;
    await injectFault(estate, cluster.name, "boot-fail", "tac2");
    const dba2 = await createSecondDba(asRole);
    const page = await asRole("DBA");
    const credential = await sysCredential(page, `Sys_${unique("pw").replace(/-/g, "_")}`);

    await openProcedure(page, cluster.name, TITLE);
    await fillForm(page, credential);
    await review(page);
    const runId = await start(page);
    await approveAsSecondDba(page, runId, dba2);

    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "FAILED", { timeout: 120_000 });
    const title = "tac2: Boot instance 1";
    const row = stepRow(page, title);
    await expect(row).toHaveAttribute("data-state", "FAILED");
    await expect(row).toContainText("tbboot");
    // …on tac2's own host.
    await expect(row).toContainText(cluster.nodes.find((n) => n.name === "tac2")!.host);
    const index = Number(await row.getAttribute("data-step"));
    // Next to the step: tbboot's refusal; and the run's reason names the node's step and what to do.
    await expect(page.getByTestId(`step-message-${index}`)).toContainText("TBR-1210");
    await expect(page.getByTestId(`step-message-${index}`)).toContainText("Boot failed");
    await expect(page.getByTestId(`step-help-${index}`)).toContainText("Tibero instance started up (NORMAL mode)");
    await expect(page.getByTestId("state-reason")).toContainText(`(${title}) failed`);
    await expect(page.getByTestId("state-reason")).toContainText("TBR-1210");
    // Everything before it on tac1 and tac2's CM did succeed; the final checks never ran.
    await expect(stepRow(page, "tac1: CREATE DATABASE")).toHaveAttribute("data-state", "SUCCEEDED");
    await expect(stepRow(page, "tac2: Boot TBCM of instance 1")).toHaveAttribute("data-state", "SUCCEEDED");
    await expect(stepRow(page, "Every instance is UP(NRML) in cmrctl show all")).toHaveAttribute("data-state", "PENDING");
  });
});
