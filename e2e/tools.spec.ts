import { expect, test } from "./fixtures";

const tip = (thread: number, undo: number) =>
  ["MEMORY_TARGET=6144M", "TOTAL_SHM_SIZE=4096M", "DB_CACHE_SIZE=2048M", "CLUSTER_DATABASE=Y", `THREAD=${thread}`, `UNDO_TABLESPACE=UNDO${undo}`, "LOCAL_CLUSTER_ADDR=192.168.1.1", "LOCAL_CLUSTER_PORT=12345", "CM_PORT=30000", ""].join("\n");

test("a pasted tip set with a duplicate THREAD shows the file, line and fix", async ({ asRole }) => {
  const page = await asRole("LEAD");
  await page.goto("/");
  await page.getByRole("link", { name: "Tools" }).click();
  await page.getByRole("link", { name: "Tibero tip validator" }).click();

  await page.getByTestId("tip-file-0").getByLabel("Text of tac1.tip").fill(tip(0, 0));
  await page.getByTestId("tip-file-1").getByLabel("Text of tac2.tip").fill(tip(0, 1));
  await page.getByRole("button", { name: "Validate" }).click();

  const row = page.getByTestId("finding").filter({ hasText: "THREAD=0 is also used by tac1.tip" });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(1)).toHaveText("tac2.tip");
  await expect(row.locator("td").nth(2)).toHaveText("5");
  await expect(row.locator("td").nth(4)).toContainText("Give this instance an unused THREAD number");

  // Bad input stays next to its field.
  await page.getByTestId("tip-file-1").getByLabel("CM_UI_PORT (optional)").fill("99999");
  await page.getByRole("button", { name: "Validate" }).click();
  await expect(page.getByTestId("tip-file-1").locator('[data-field-error="files.1.cmUiPort"]')).toBeVisible();
});

test("a generated ProSync set with an agent script under /bin/sh shows the exit-127 warning", async ({ asRole }) => {
  const page = await asRole("DBA");
  await page.goto("/tools/prosync-config");

  await page.getByTestId("agent-files-0").getByLabel("Script shebang").selectOption("/bin/sh");
  await expect(page.getByTestId("sh-warning")).toContainText("exit 127");
  await page.getByRole("button", { name: "Generate and validate" }).click();

  const row = page.getByTestId("finding").filter({ hasText: "agent1/prs_0.sh" });
  await expect(row).toContainText("exit 127");
  await expect(row).toContainText("Make the first line #!/bin/bash.");
  const script = page.getByTestId("generated-file").filter({ hasText: "agent1/prs_0.sh" });
  await expect(script.locator("pre")).toContainText("#!/bin/sh");
  await expect(page.getByTestId("generated-file")).toHaveCount(6);

  // A field the server refuses is marked where it was typed.
  await page.getByLabel("AGENT_PORT_0").fill("not-a-port");
  await page.getByRole("button", { name: "Generate and validate" }).click();
  await expect(page.getByTestId("agents-table").locator('[data-field-error="agents.0.port"]')).toBeVisible();
});
