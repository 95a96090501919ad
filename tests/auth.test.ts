import { describe, expect, it } from "vitest";
import { auth } from "@/lib/auth/auth";
import { sessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { ACTIONS } from "@/lib/api/registry";
import { useTestDatabase } from "./db";
import { makeUser, signIn, signedInAs } from "./factories";
import { callAction } from "./http";

useTestDatabase();

describe("sign-in", () => {
  it("signs in with the right password, audits it, and the session names the user and role", async () => {
    const user = await makeUser("DBA");
    const res = await signIn(user.email, user.password);
    expect(res.status).toBe(200);
    const me = await sessionUser(new Headers({ cookie: res.cookie }));
    expect(me).toEqual({ id: user.id, email: user.email, name: user.name, role: "DBA" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in", actorEmail: user.email } });
    expect(event.outcome).toBe("ok");
  });

  it("refuses a wrong password, audits the failure, and locks the account after 5 in a row", async () => {
    const user = await makeUser("LEAD");
    for (let i = 0; i < 4; i++) expect((await signIn(user.email, "wrong-password")).status).toBe(401);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSignIns).toBe(4);
    expect((await signIn(user.email, "wrong-password")).status).toBe(401);
    const locked = await signIn(user.email, user.password);
    expect(locked.status).toBe(429);
    expect(JSON.stringify(locked.body)).toMatch(/locked until/);
    const events = await db.auditEvent.findMany({ where: { action: "auth.sign_in", actorEmail: user.email }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.outcome)).toEqual(["failed", "failed", "failed", "failed", "failed", "denied"]);
    expect((events[4]!.payload as { lockedUntil?: string }).lockedUntil).toBeTruthy();
  });

  it("a success resets the failure count", async () => {
    const user = await makeUser("LEAD");
    await signIn(user.email, "wrong-password");
    await signIn(user.email, "wrong-password");
    expect((await signIn(user.email, user.password)).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).failedSignIns).toBe(0);
  });

  it("refuses a disabled account, and disabling signs the user out at once", async () => {
    const { user, cookie } = await signedInAs("DBA");
    const admin = await signedInAs("ADMIN");
    const res = await callAction(ACTIONS.updateUser, admin.cookie, { id: user.id, name: user.name, role: "DBA", disabled: true });
    expect(res.status).toBe(200);
    expect(await sessionUser(new Headers({ cookie }))).toBeNull();
    const again = await signIn(user.email, "correct-horse-battery");
    expect(again.status).toBe(403);
  });

  it("rate-limits sign-in attempts per client address", async () => {
    const limit = Number(process.env.KEEL_SIGNIN_RATE_PER_MINUTE ?? 30);
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++) {
      const res = await auth().handler(
        new Request("http://127.0.0.1:3000/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://127.0.0.1:3000", "x-forwarded-for": "10.77.0.1" },
          body: JSON.stringify({ email: `nobody${i}@test.local`, password: "whatever-long" }),
        }),
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("sessions", () => {
  it("signs out: the session ends and the sign-out is audited", async () => {
    const { user, cookie } = await signedInAs("AUDITOR");
    const res = await auth().handler(
      new Request("http://127.0.0.1:3000/api/auth/sign-out", { method: "POST", headers: { cookie, origin: "http://127.0.0.1:3000", "content-type": "application/json" }, body: "{}" }),
    );
    expect(res.status).toBe(200);
    expect(await sessionUser(new Headers({ cookie }))).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "auth.sign_out", actorEmail: user.email } })).toBe(1);
  });

  it("an expired session is no session", async () => {
    const { user, cookie } = await signedInAs("LEAD");
    expect(await sessionUser(new Headers({ cookie }))).not.toBeNull();
    await db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionUser(new Headers({ cookie }))).toBeNull();
  });

  it("issues sessions that expire after the configured lifetime", async () => {
    const { user } = await signedInAs("LEAD");
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    const hours = (session.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it("self sign-up is closed: accounts come from an ADMIN", async () => {
    const res = await auth().handler(
      new Request("http://127.0.0.1:3000/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://127.0.0.1:3000" },
        body: JSON.stringify({ email: "me@test.local", password: "long-enough-pw", name: "Me" }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await db.user.count({ where: { email: "me@test.local" } })).toBe(0);
  });

  it("an ADMIN cannot remove the last enabled ADMIN", async () => {
    const admin = await signedInAs("ADMIN");
    await db.user.updateMany({ where: { role: "ADMIN", NOT: { id: admin.user.id } }, data: { disabled: true } });
    const res = await callAction(ACTIONS.updateUser, admin.cookie, { id: admin.user.id, name: "x", role: "DBA" });
    expect(res.status).toBe(400);
    expect(res.json.error?.fieldErrors?.role?.[0]).toMatch(/at least one enabled ADMIN/);
  });
});
