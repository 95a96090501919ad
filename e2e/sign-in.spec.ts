import { ROLES } from "../lib/auth/roles";
import { account, expect, test } from "./fixtures";

const HOME = { ADMIN: "/clusters", DBA: "/clusters", LEAD: "/clusters", AUDITOR: "/audit" } as const;

for (const role of ROLES) {
  test(`${role} signs in through the form, lands on their home and signs out`, async ({ page }) => {
    const { email, password } = account(role);
    await page.goto("/clusters");
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${HOME[role]}$`));
    await expect(page.getByTestId("whoami")).toContainText(role);
    await expect(page.getByRole("link", { name: "Users", exact: true })).toHaveCount(role === "ADMIN" ? 1 : 0);
    await expect(page.getByRole("link", { name: "Audit", exact: true })).toHaveCount(role === "ADMIN" || role === "AUDITOR" ? 1 : 0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto(HOME[role]);
    await expect(page).toHaveURL(/\/login$/);
  });
}

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(account("LEAD").email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong e-mail or password.");
  await expect(page).toHaveURL(/\/login$/);
});
