import ssh2 from "ssh2";

const { utils } = ssh2;
import { api, expect, test, unique } from "./fixtures";

test("a DBA builds a cluster with a credential, a host, a group and nodes in the browser", async ({ asRole }) => {
  const page = await asRole("DBA");
  const names = { cred: unique("key"), host: unique("host"), cluster: unique("mach") };
  const address = `192.168.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

  await page.goto("/credentials");
  const credForm = page.getByTestId("credential-form");
  await credForm.getByLabel("Name").fill(names.cred);
  await credForm.getByLabel("Private key").fill(utils.generateKeyPairSync("ed25519").private);
  await credForm.getByRole("button", { name: "Save credential" }).click();
  const credRow = page.getByTestId("credentials-table").getByRole("row", { name: new RegExp(names.cred) });
  await expect(credRow).toContainText(/ssh-ed25519 SHA256:/);
  await expect(page.locator("body")).not.toContainText("OPENSSH PRIVATE KEY");

  await page.goto("/hosts");
  const hostForm = page.getByTestId("host-form");
  await hostForm.getByLabel("Name").fill(names.host);
  await hostForm.getByLabel("Address").fill(address);
  await hostForm.getByLabel("SSH user").fill("machbase");
  await hostForm.getByLabel("Credential").selectOption({ label: `${names.cred} (SSH key)` });
  await hostForm.getByRole("button", { name: "Add host" }).click();
  await expect(page.getByTestId("hosts-table").getByRole("row", { name: new RegExp(names.host) })).toContainText("not pinned");

  await page.goto("/clusters/new");
  const clusterForm = page.getByTestId("cluster-form");
  await clusterForm.getByLabel("Name").fill(names.cluster);
  await clusterForm.getByRole("combobox", { name: "Engine", exact: true }).selectOption("MACHBASE");
  await clusterForm.getByLabel("Engine version").fill("6.5");
  await clusterForm.getByLabel("MACH_COORDINATOR_HOME").fill("/home/machbase/coordinator");
  await clusterForm.getByRole("button", { name: "Create cluster" }).click();
  await expect(page.getByTestId("cluster-name")).toHaveText(names.cluster);

  await page.getByTestId("group-form").getByLabel("New group name").fill("group1");
  await page.getByTestId("group-form").getByRole("button", { name: "Add group" }).click();
  await expect(page.getByTestId("groups-list")).toContainText("group1");

  const nodeForm = page.getByTestId("node-form");
  await nodeForm.getByLabel("Node type").selectOption("coordinator");
  await nodeForm.getByLabel("Node name").fill(`${address}:5101`);
  await nodeForm.getByLabel("Role").selectOption("primary");
  const hostOption = await nodeForm.getByLabel("Host").locator("option", { hasText: names.host }).getAttribute("value");
  await nodeForm.getByLabel("Host").selectOption(hostOption!);
  await nodeForm.getByRole("button", { name: "Add node" }).click();
  await expect(page.getByTestId("nodes-table")).toContainText(`${address}:5101`);

  await nodeForm.getByLabel("Node type").selectOption("warehouse");
  await nodeForm.getByLabel("Node name").fill(`${address}:5301`);
  await nodeForm.getByLabel("Group").selectOption({ label: "group1" });
  await nodeForm.getByRole("button", { name: "Add node" }).click();
  const warehouse = page.getByTestId("nodes-table").getByRole("row", { name: new RegExp(`${address.replace(/\./g, "\\.")}:5301`) });
  await expect(warehouse).toContainText("warehouse");
  await expect(warehouse).toContainText("group1");

  const coordinator = page.getByTestId("nodes-table").getByRole("row", { name: new RegExp(`${address.replace(/\./g, "\\.")}:5101`) });
  await coordinator.getByRole("link", { name: "Edit" }).click();
  const editForm = page.getByTestId("node-form");
  await expect(editForm.getByLabel("Node name")).toHaveValue(`${address}:5101`);
  await editForm.getByLabel("Role").selectOption("normal");
  await editForm.getByRole("button", { name: "Save node" }).click();
  await expect(page.getByTestId("cluster-name")).toHaveText(names.cluster);
  await expect(coordinator).toContainText("normal");
});

test("bad input shows a specific error next to each field and creates nothing", async ({ asRole }) => {
  const page = await asRole("DBA");
  await page.goto("/clusters/new");
  const form = page.getByTestId("cluster-form");
  await form.getByLabel("Name").fill("bad name");
  await form.getByRole("combobox", { name: "Engine", exact: true }).selectOption("TIBERO");
  await form.getByLabel("Engine version").fill("7");
  await form.getByLabel("TB_HOME").fill("relative/path");
  await form.getByRole("button", { name: "Create cluster" }).click();
  await expect(form.locator('[data-field-error="name"]')).toContainText("no spaces");
  await expect(form.locator('[data-field-error="settings.TB_HOME"]')).toContainText("absolute path");
  await expect(form.locator('[data-field-error="settings.TB_SID"]')).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/clusters\/new$/);

  await page.goto("/hosts");
  const hostForm = page.getByTestId("host-form");
  await hostForm.getByLabel("Name").fill(unique("h"));
  await hostForm.getByLabel("Address").fill("10.0.0.1");
  await hostForm.getByLabel("SSH port").fill("99999");
  await hostForm.getByLabel("SSH user").fill("Bad User");
  await hostForm.getByRole("button", { name: "Add host" }).click();
  await expect(hostForm.locator('[data-field-error="sshPort"]')).toContainText("between 1 and 65535");
  await expect(hostForm.locator('[data-field-error="username"]')).toContainText("Unix user name");
});

test("a LEAD sees clusters read-only, and a direct POST is refused with 403", async ({ asRole }) => {
  const dba = await asRole("DBA");
  const name = unique("lead-view");
  const created = await api(dba.request, "POST", "/api/v1/clusters", { name, engine: "POSTGRESQL", version: "15", settings: { PGDATA: "/var/lib/postgresql/15/main" } });
  expect(created.status).toBe(201);

  const lead = await asRole("LEAD");
  await lead.goto("/clusters");
  await expect(lead.getByTestId("clusters-table")).toContainText(name);
  await expect(lead.getByRole("link", { name: "New cluster" })).toHaveCount(0);
  await lead.getByRole("link", { name }).click();
  await expect(lead.getByTestId("cluster-name")).toHaveText(name);
  await expect(lead.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(lead.getByRole("button", { name: /Delete|Remove/ })).toHaveCount(0);
  await expect(lead.getByTestId("node-form")).toHaveCount(0);

  const post = await api(lead.request, "POST", "/api/v1/clusters", { name: unique("sneaky"), engine: "POSTGRESQL", version: "15", settings: { PGDATA: "/x" } });
  expect(post.status).toBe(403);
  expect(post.body.error?.code).toBe("FORBIDDEN");
  const del = await api(lead.request, "DELETE", `/api/v1/clusters/${created.body.data!.id}`, { confirmName: name });
  expect(del.status).toBe(403);
  await lead.goto("/clusters/new");
  await expect(lead.getByRole("alert").filter({ hasText: "Not available to your role" })).toBeVisible();
});
