import { killNode, restartNode } from "../lab/faults/machbase";
import { e2eEstate } from "../lab/estate/definition";
import { changeHostKey } from "../lab/hosts/index";
import { expect, test } from "./fixtures";

const estate = e2eEstate();
const machbase = estate.clusters.find((c) => c.name === "e2e-machbase")!;
const warehouse = machbase.nodes.find((n) => n.type === "warehouse" && n.group === "group1")!.name;
const faultEnv = { env: { KEEL_LAB_TIME_SCALE: String(estate.timeScale) } };

test.describe.serial("live Machbase state from the lab", () => {
  test("a LEAD watches a warehouse die and come back, without reloading the page", async ({ asRole }) => {
    const page = await asRole("LEAD");
    await page.goto("/clusters");
    await page.getByRole("link", { name: "e2e-machbase", exact: true }).click();
    const health = page.getByTestId("cluster-state").getByTestId("health");
    await expect(health).toHaveText("healthy", { timeout: 20_000 });
    const row = page.getByTestId("state-table").locator(`tr[data-node="${warehouse}"]`);
    await expect(row).toHaveAttribute("data-mismatch", "false");
    await expect(row).toContainText("normal");

    expect(killNode(machbase.stateDir!, warehouse, faultEnv).ok).toBe(true);
    // The seed's table after a warehouse dies: desired scrapped, actual **unknown**, its group readonly.
    await expect(row).toHaveAttribute("data-mismatch", "true", { timeout: 15_000 });
    await expect(row).toContainText("scrapped");
    await expect(row).toContainText("**unknown**");
    await expect(row).toContainText("readonly");
    await expect(health).toHaveText("degraded");
    await expect(page.getByTestId("health-reason")).toContainText(warehouse);

    expect(restartNode(machbase.stateDir!, warehouse, faultEnv).ok).toBe(true);
    // Restarted, it shows the seed's next state: scrapped / scrapped, until it is recovered.
    await expect(row.locator("td").nth(5)).toHaveText("scrapped", { timeout: 15_000 });
    await expect(row.locator("td").nth(4)).toHaveText("scrapped");
  });

  test("a host whose key changed is refused, and Keel shows why", async ({ asRole }) => {
    const coordinatorHost = machbase.nodes.find((n) => n.type === "coordinator" && n.role === "primary")!.host;
    const changed = await changeHostKey(coordinatorHost, { runDir: estate.runDir });
    const page = await asRole("DBA");
    await page.goto("/hosts");
    const hostRow = page.getByTestId("hosts-table").getByRole("row", { name: new RegExp(`^${coordinatorHost}\\b`) });
    await expect(async () => {
      await page.reload();
      await expect(hostRow).toContainText("KEY MISMATCH", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await hostRow.getByRole("link", { name: coordinatorHost }).click();
    const alert = page.getByTestId("host-key-mismatch");
    await expect(alert).toContainText(changed.hostKeyFingerprint);
    await expect(alert).toContainText("refuses to connect");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Refusing to connect");
  });
});

test("the PostgreSQL pair shows its primary, its streaming standby and the lag", async ({ asRole }) => {
  const pg = estate.clusters.find((c) => c.name === "e2e-pg")!;
  const primary = pg.nodes.find((n) => n.role === "primary")!.name;
  const standby = pg.nodes.find((n) => n.role === "standby")!.name;
  const page = await asRole("LEAD");
  await page.goto("/clusters");
  await page.getByRole("link", { name: "e2e-pg", exact: true }).click();
  await expect(page.getByTestId("cluster-state").getByTestId("health")).toHaveText("healthy", { timeout: 20_000 });
  const table = page.getByTestId("state-table");
  const primaryRow = table.locator(`tr[data-node="${primary}"]`);
  const standbyRow = table.locator(`tr[data-node="${standby}"]`);
  await expect(primaryRow.locator("td").nth(5)).toHaveText("primary");
  await expect(standbyRow.locator("td").nth(5)).toHaveText("standby");
  await expect(standbyRow.locator("td").nth(6)).toHaveText("streaming");
  const headers = await table.locator("thead th").allTextContents();
  const lagColumn = headers.indexOf("lagBytes");
  expect(lagColumn).toBeGreaterThan(0);
  await expect(standbyRow.locator("td").nth(lagColumn)).toHaveText(/^\d+$/);
});
