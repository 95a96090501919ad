// Shared steps of the procedure specs (gbase-flush, tibero-create-database, prosync-cm-failover): open a
// cluster's procedure wizard, review and start the plan, approve a destructive step as a second DBA made
// through the admin API (as e2e/runs.spec.ts does), read a step's row and output, and inject lab faults
// with lab/fault.ts (which sets the estate's time scale and the group-writable umask the lab needs).
import type { Locator, Page } from "@playwright/test";

import { runFault } from "../lab/fault";
import type { EstateDefinition } from "../lab/estate/definition";
import type { Role } from "../lib/auth/roles";
import { api, expect, unique } from "./fixtures";

type AsRole = (role: Role) => Promise<Page>;
export type SecondDba = { email: string; password: string };

export async function openProcedure(page: Page, clusterName: string, title: string): Promise<void> {
  await page.goto("/clusters");
  await page.getByRole("link", { name: clusterName, exact: true }).click();
  await page.getByTestId("procedures").getByRole("link", { name: title }).click();
  await expect(page.getByTestId("procedure-title")).toHaveText(title);
}

/** "Review plan": waits for the plan table with its live prechecks. */
export async function review(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Review plan" }).click();
  const plan = page.getByTestId("plan-table");
  await expect(plan).toBeVisible({ timeout: 30_000 });
  return plan;
}

/** Ticks "reviewed", starts the run and returns its id once the run page is open. */
export async function start(page: Page): Promise<string> {
  await expect(page.getByTestId("start-run")).toBeDisabled();
  await page.getByTestId("reviewed").check();
  await page.getByTestId("start-run").click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

/** A second DBA, made by the admin through the API. */
export async function createSecondDba(asRole: AsRole): Promise<SecondDba> {
  const admin = await asRole("ADMIN");
  const dba = { email: `${unique("dba2")}@keel.local`, password: "second-dba-password" };
  const created = await api(admin.request, "POST", "/api/v1/users", { email: dba.email, name: "Second DBA", role: "DBA", password: dba.password });
  expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
  return dba;
}

/** The run waits at its destructive confirm step; the second DBA approves it from their own browser. */
export async function approveAsSecondDba(page: Page, runId: string, dba: SecondDba): Promise<void> {
  await expect(page.getByTestId("run-view")).toHaveAttribute("data-run-state", "WAITING", { timeout: 30_000 });
  await expect(page.getByTestId("self-approval-note")).toBeVisible();
  const context = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  try {
    const second = await context.newPage();
    const signIn = await second.request.post("/api/auth/sign-in/email", { data: { email: dba.email, password: dba.password } });
    expect(signIn.status()).toBe(200);
    await second.goto(`/runs/${runId}`);
    await second.getByTestId("approve-step").click();
    await expect(second.getByTestId("decided-by")).toContainText(`approved by ${dba.email}`, { timeout: 15_000 });
  } finally {
    await context.close();
  }
}

/** The run page's row of the step whose title contains `title` (exactly one). */
export function stepRow(page: Page, title: string): Locator {
  return page.getByTestId("run-steps").locator("tr[data-step]").filter({ hasText: title });
}

export async function stepIndex(page: Page, title: string): Promise<number> {
  const row = stepRow(page, title);
  await expect(row).toHaveCount(1);
  return Number(await row.getAttribute("data-step"));
}

/** The output the run page shows for the step whose title contains `title`. */
export async function stepOutput(page: Page, title: string): Promise<string> {
  const output = page.getByTestId(`step-output-${await stepIndex(page, title)}`);
  await expect(output).toBeAttached();
  return (await output.textContent()) ?? "";
}

/** A lab fault by cluster (lab/fault.ts); fails the test when the fault cannot be applied. */
export async function injectFault(estate: EstateDefinition, cluster: string, fault: string, ...args: string[]): Promise<string> {
  const outcome = await runFault(estate, [cluster, fault, ...args]);
  expect(outcome.ok, outcome.message).toBe(true);
  return outcome.message;
}
