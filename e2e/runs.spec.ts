// Runs in the browser on the lab's own Machbase cluster (e2e-mach-runs, time scale 2 so a 2 s poll
// sees every state the seed shows): the scrapped-warehouse recovery with a second DBA's approval
// (self-approval refused), and a rolling upgrade of every broker and warehouse.
import type { Page } from "@playwright/test";

import { killNode } from "../lab/faults/machbase";
import { e2eEstate } from "../lab/estate/definition";
import { api, expect, test, unique } from "./fixtures";

const estate = e2eEstate();
const cluster = estate.clusters.find((c) => c.name === "e2e-mach-runs")!;
const warehouse = cluster.nodes.find((n) => n.type === "warehouse" && n.group === "group1")!.name;

async function openProcedure(page: Page, title: string): Promise<void> {
  await page.goto("/clusters");
  await page.getByRole("link", { name: cluster.name, exact: true }).click();
  await page.getByTestId("procedures").getByRole("link", { name: title }).click();
  await expect(page.getByTestId("procedure-title")).toHaveText(title);
}

async function reviewAndStart(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Review plan" }).click();
  await expect(page.getByTestId("plan-table")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("start-run")).toBeDisabled();
  await page.getByTestId("reviewed").check();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

test.describe.serial("runs on the lab's Machbase cluster", () => {
  test("a rolling upgrade of every broker and warehouse, node by node", async ({ asRole }) => {
    test.setTimeout(180_000);
    const page = await asRole("DBA");
    await openProcedure(page, "Rolling broker/warehouse upgrade");
    await page.getByLabel("Package name").fill("machbase");
    await reviewAndStart(page);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "SUCCEEDED", { timeout: 150_000 });
    const upgrades = page.getByTestId("run-steps").locator("tr[data-step]").filter({ hasText: "--upgrade-node=" });
    await expect(upgrades).toHaveCount(6);
    for (const row of await upgrades.all()) await expect(row).toHaveAttribute("data-state", "SUCCEEDED");
    // The leader broker goes last.
    const leader = cluster.nodes.find((n) => n.type === "broker" && n.role === "leader")!.name;
    await expect(upgrades.last()).toContainText(`--upgrade-node=${leader}`);
  });

  test("scrapped warehouse recovery: the starter cannot approve, a second DBA does, every table of the seed passes by", async ({ asRole }) => {
    test.setTimeout(180_000);
    // A second DBA, made by the admin through the API.
    const admin = await asRole("ADMIN");
    const email = `${unique("dba2")}@keel.local`;
    const created = await api(admin.request, "POST", "/api/v1/users", { email, name: "Second DBA", role: "DBA", password: "second-dba-password" });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);

    const page = await asRole("DBA");
    await page.goto("/clusters");
    await page.getByRole("link", { name: cluster.name, exact: true }).click();
    const row = page.getByTestId("state-table").locator(`tr[data-node="${warehouse}"]`);
    await expect(row).toHaveAttribute("data-mismatch", "false", { timeout: 20_000 });
    expect(killNode(cluster.stateDir!, warehouse, { env: { KEEL_LAB_TIME_SCALE: "2" } }).ok).toBe(true);
    await expect(row).toContainText("**unknown**", { timeout: 20_000 });

    await page.getByTestId("procedures").getByRole("link", { name: "Scrapped warehouse recovery" }).click();
    await page.getByLabel("Scrapped warehouse").fill(warehouse);
    const runId = await reviewAndStart(page);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-run-state", "WAITING", { timeout: 30_000 });
    await expect(page.getByTestId("self-approval-note")).toBeVisible();
    await page.getByTestId("approve-step").click();
    await expect(page.getByTestId("step-error")).toContainText("second DBA");
    await expect(view).toHaveAttribute("data-run-state", "WAITING");

    const second = await (await page.context().browser()!.newContext({ baseURL: page.url().split("/runs")[0] })).newPage();
    const signIn = await second.request.post("/api/auth/sign-in/email", { data: { email, password: "second-dba-password" } });
    expect(signIn.status()).toBe(200);
    await second.goto(`/runs/${runId}`);
    await second.getByTestId("approve-step").click();

    // The first DBA's page follows the run live: restart, recover, sync, back to normal.
    await expect(view).toHaveAttribute("data-run-state", "SUCCEEDED", { timeout: 120_000 });
    await expect(page.getByTestId("decided-by")).toContainText(`approved by ${email}`);
    const sync = page.locator("tr[data-step-detail]").filter({ hasText: "sync-standby" }).locator("pre");
    const text = (await sync.first().textContent()) ?? "";
    // The seed's tables in order: syncing (sync-standby/sync-active, RP running), then normal with RP stopped.
    const syncing = text.indexOf("sync-standby");
    expect(syncing).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("running", syncing)).toBeGreaterThan(syncing);
    expect(text.lastIndexOf("normal")).toBeGreaterThan(syncing);
    // And the run page's own cluster table shows the warehouse serving again.
    await expect(page.getByTestId("state-table").locator(`tr[data-node="${warehouse}"]`)).toHaveAttribute("data-mismatch", "false", { timeout: 20_000 });
  });
});
