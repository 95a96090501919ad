// Seed 004 in the browser on real PostgreSQL 15 (the lab's bare pair e2e-pg-bare): set up streaming,
// fail over, write through the new primary, fail back with pg_rewind, switch back — each run watched on
// its page and its result observed in the cluster view (roles, streaming).
import type { Page } from "@playwright/test";

import { e2eEstate } from "../lab/estate/definition";
import { query } from "../lab/postgres/server";
import { api, expect, test, unique } from "./fixtures";
import { approveAsSecondDba, createSecondDba, openProcedure, review, start, type SecondDba } from "./procedure-runs";

const estate = e2eEstate();
const cluster = estate.clusters.find((c) => c.name === "e2e-pg-bare")!;
const [first, second] = cluster.postgres;
const nameOf = (s: typeof first) => `${s!.address}:5432`;
const A = nameOf(first);
const B = nameOf(second);

let credentialName = "";
let dba2: SecondDba;

async function finished(page: Page, state = "SUCCEEDED"): Promise<void> {
  const view = page.getByTestId("run-view");
  await expect(view).toHaveAttribute("data-run-state", /SUCCEEDED|FAILED|CANCELLED|ABORTED/, { timeout: 150_000 });
  const reason = (await page.getByTestId("state-reason").textContent()) ?? "";
  expect(await view.getAttribute("data-run-state"), reason).toBe(state);
}

/** The cluster view's row for a server: its actual role, and whether it matches the inventory. */
async function expectServer(page: Page, server: string, role: "primary" | "standby"): Promise<void> {
  await page.goto("/clusters");
  await page.getByRole("link", { name: cluster.name, exact: true }).click();
  const row = page.getByTestId("state-table").locator(`tr[data-node="${server}"]`);
  await expect(row).toHaveAttribute("data-mismatch", "false", { timeout: 30_000 });
  await expect(row).toContainText(role);
  if (role === "standby") await expect(row).toContainText("streaming");
}

test.describe.serial("PostgreSQL replication end to end on real servers", () => {
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const admin = await context.newPage();
    const signIn = await admin.request.post("/api/auth/sign-in/email", { data: { email: "admin@keel.local", password: "keel-admin-demo" } });
    expect(signIn.status()).toBe(200);
    credentialName = unique("e2e-replication");
    const created = await api(admin.request, "POST", "/api/v1/credentials", { name: credentialName, kind: "PASSWORD", secret: "e2e-Replication-secret" });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    await context.close();
  });

  async function setUp(page: Page, extraSources: string): Promise<void> {
    await openProcedure(page, cluster.name, "Streaming replication set-up");
    await page.getByLabel("Primary", { exact: false }).first().fill(A);
    await page.getByLabel("Standby", { exact: false }).first().fill(B);
    await page.getByLabel("Replication password (credential)").selectOption({ label: `${credentialName} (password)` });
    await page.getByLabel("Extra pg_hba sources").fill(extraSources);
    await review(page);
    await start(page);
    await expect(page.getByTestId("run-view")).toHaveAttribute("data-run-state", "WAITING", { timeout: 60_000 });
    await page.getByTestId("approve-step").click();
  }

  test("set up streaming replication on the bare pair: the seed's pg_hba failure is caught before pg_basebackup, with the fix", async ({ asRole }) => {
    test.setTimeout(240_000);
    dba2 = await createSecondDba(asRole);
    const page = await asRole("DBA");
    // On the lab's loopback every connection leaves from 127.0.0.1, which the hosts' own entries do not cover.
    await setUp(page, "");
    await finished(page, "FAILED");
    await expect(page.getByTestId("state-reason")).toContainText("no pg_hba.conf entry for replication connection");
    await expect(page.getByTestId("state-reason")).toContainText('add "host replication replicator 127.0.0.1/32');
    await expect(page.getByTestId("run-steps").locator("tr[data-step]").filter({ hasText: "pg_basebackup" }).first()).toHaveAttribute("data-state", "PENDING");

    await setUp(page, "127.0.0.1/32");
    await finished(page);
    await expectServer(page, B, "standby");
  });

  test("fail over to the standby, then write through the new primary", async ({ asRole }) => {
    test.setTimeout(180_000);
    const page = await asRole("DBA");
    await openProcedure(page, cluster.name, "Fail-over to a standby");
    await page.getByLabel("Standby to promote").fill(B);
    await page.getByLabel("Failed primary").fill(A);
    const plan = await review(page);
    await expect(plan.getByTestId("sets-roles")).toContainText(`${B} → primary`);
    const runId = await start(page);
    await approveAsSecondDba(page, runId, dba2);
    await finished(page);
    const written = await query(second!, "CREATE TABLE IF NOT EXISTS e2e_writes (id int primary key); INSERT INTO e2e_writes VALUES (1) ON CONFLICT DO NOTHING; SELECT count(*)::int AS n FROM e2e_writes");
    expect(written.ok).toBe(true);
    await page.goto("/clusters");
    await page.getByRole("link", { name: cluster.name, exact: true }).click();
    // The inventory now names B the primary; the view shows it serving as one.
    await expect(page.getByTestId("state-table").locator(`tr[data-node="${B}"]`)).toContainText("primary", { timeout: 30_000 });
  });

  test("fail back: pg_rewind turns the old primary into a standby of the new one", async ({ asRole }) => {
    test.setTimeout(180_000);
    const page = await asRole("DBA");
    await openProcedure(page, cluster.name, "Fail-back with pg_rewind");
    await page.getByLabel("Old primary (target)").fill(A);
    await page.getByLabel("New primary (source)").fill(B);
    await page.getByLabel("Replication password (credential)").selectOption({ label: `${credentialName} (password)` });
    await review(page);
    const runId = await start(page);
    await approveAsSecondDba(page, runId, dba2);
    await finished(page);
    await expectServer(page, A, "standby");
    const seen = await query<{ n: number }>(first!, "SELECT count(*)::int AS n FROM e2e_writes");
    expect(seen.ok && seen.value[0]?.n).toBe(1);
  });

  test("switch back to the original roles with no committed transaction lost", async ({ asRole }) => {
    test.setTimeout(180_000);
    const page = await asRole("DBA");
    await openProcedure(page, cluster.name, "Switch-over (switch back)");
    await page.getByLabel("Current primary").fill(B);
    await page.getByLabel("Standby to promote").fill(A);
    await review(page);
    await start(page);
    await expect(page.getByTestId("run-view")).toHaveAttribute("data-run-state", "WAITING", { timeout: 60_000 });
    await page.getByTestId("approve-step").click();
    await finished(page);
    await expectServer(page, B, "standby");
    const seen = await query<{ n: number }>(first!, "SELECT count(*)::int AS n FROM e2e_writes");
    expect(seen.ok && seen.value[0]?.n).toBe(1);
  });
});
