import { readFile } from "node:fs/promises";
import { api, expect, test, unique } from "./fixtures";

test("an AUDITOR sees the DBA's changes, filters by cluster, exports CSV and JSON, and verifies the chain", async ({ asRole }) => {
  const dba = await asRole("DBA");
  const name = unique("audited");
  expect((await api(dba.request, "POST", "/api/v1/clusters", { name, engine: "GBASE", version: "V953", settings: { GCWARE_BASE: "/opt/gcware" } })).status).toBe(201);

  const auditor = await asRole("AUDITOR");
  await auditor.goto("/audit");
  const filter = auditor.getByTestId("audit-filter");
  await filter.getByLabel("Cluster", { exact: true }).selectOption(name);
  await filter.getByRole("button", { name: "Filter" }).click();
  await expect(auditor).toHaveURL(new RegExp(`cluster=${name}`));
  const rows = auditor.getByTestId("audit-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("cluster.create");
  await expect(rows.first()).toContainText("dba@keel.local");

  const [csv] = await Promise.all([auditor.waitForEvent("download"), auditor.getByTestId("export-csv").click()]);
  const csvText = await readFile((await csv.path())!, "utf8");
  expect(csvText.split("\n")[0]).toBe("id,at,actorEmail,actorRole,action,outcome,clusterName,hostName,nodeName,payload,hash");
  expect(csvText).toContain(`"cluster.create","ok","${name}"`);
  expect(csvText.trim().split("\n")).toHaveLength(2);

  const [json] = await Promise.all([auditor.waitForEvent("download"), auditor.getByTestId("export-json").click()]);
  const events = JSON.parse(await readFile((await json.path())!, "utf8")) as { action: string; clusterName: string }[];
  expect(events).toEqual([expect.objectContaining({ action: "cluster.create", clusterName: name })]);

  await auditor.getByRole("button", { name: "Verify chain" }).click();
  await expect(auditor.getByTestId("verify-result")).toHaveText(/^intact, \d+ events$/);

  const forbidden = await api(auditor.request, "POST", "/api/v1/clusters", { name: unique("x"), engine: "GBASE", version: "V953", settings: { GCWARE_BASE: "/g" } });
  expect(forbidden.status).toBe(403);
});
