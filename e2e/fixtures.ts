import { type APIRequestContext, expect, type Page, test as base } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { DEMO_ACCOUNTS } from "../lib/users/demo-accounts";
import type { Role } from "../lib/auth/roles";

export function account(role: Role) {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role);
  if (!a) throw new Error(`no demo account for ${role}`);
  return a;
}

/** Signs in through better-auth's API; the session cookie lands in the page's browser context. */
export async function signInByApi(request: APIRequestContext, role: Role): Promise<void> {
  const { email, password } = account(role);
  const res = await request.post("/api/auth/sign-in/email", { data: { email, password } });
  expect(res.status(), await res.text()).toBe(200);
}

export async function api(request: APIRequestContext, method: "POST" | "PUT" | "DELETE", url: string, data: unknown) {
  const res = await request.fetch(url, { method, data });
  return { status: res.status(), body: (await res.json()) as { ok: boolean; data?: { id: string }; error?: { code: string; message: string } } };
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

export const test = base.extend<{ asRole: (role: Role) => Promise<Page> }>({
  asRole: async ({ browser, baseURL }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (role) => {
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      const page = await context.newPage();
      await signInByApi(page.request, role);
      return page;
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});

export { expect };
