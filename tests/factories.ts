import { randomBytes } from "node:crypto";
import ssh2 from "ssh2";

const { utils } = ssh2;
import { auth } from "@/lib/auth/auth";
import type { Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { createUserRecord } from "@/lib/users/create-user-record";

export const TEST_PASSWORD = "correct-horse-battery";

export async function makeUser(role: Role, overrides: { email?: string; password?: string } = {}): Promise<SessionUser & { password: string }> {
  const email = overrides.email ?? `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@test.local`;
  const password = overrides.password ?? TEST_PASSWORD;
  const id = await db.$transaction((tx) => createUserRecord(tx, { email, name: `${role} tester`, role, password }));
  return { id, email, name: `${role} tester`, role, password };
}

// A fresh client address per sign-in keeps the per-address rate limit out of tests that are not about it.
const randomClientIp = () => `10.${[...randomBytes(3)].join(".")}`;

/** Signs in through better-auth's own endpoint and returns the Cookie header a browser would send. */
export async function signIn(email: string, password: string): Promise<{ status: number; cookie: string; body: unknown }> {
  const res = await auth().handler(
    new Request("http://127.0.0.1:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://127.0.0.1:3000", "x-forwarded-for": randomClientIp() },
      body: JSON.stringify({ email, password }),
    }),
  );
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { status: res.status, cookie, body: await res.json().catch(() => null) };
}

export async function signedInAs(role: Role): Promise<{ user: SessionUser; cookie: string }> {
  const user = await makeUser(role);
  const { cookie, status } = await signIn(user.email, user.password);
  if (status !== 200) throw new Error(`sign-in as ${role} failed with HTTP ${status}`);
  return { user, cookie };
}

export function ed25519PrivateKey(passphrase?: string): string {
  return utils.generateKeyPairSync("ed25519", passphrase ? { passphrase, cipher: "aes256-ctr", rounds: 4 } : {}).private;
}

export async function makeCluster(name = `c-${randomBytes(3).toString("hex")}`) {
  return db.cluster.create({ data: { name, engine: "MACHBASE", version: "6.5", settings: { MACH_COORDINATOR_HOME: "/home/machbase/coordinator" } } });
}

export async function makeHost(name = `h-${randomBytes(3).toString("hex")}`) {
  return db.host.create({ data: { name, address: "10.0.0.1", sshPort: 22 + Math.floor(Math.random() * 1000), username: "machbase" } });
}
