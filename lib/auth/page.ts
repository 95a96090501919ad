import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { can, type Permission } from "./roles";
import { type SessionUser, sessionUser } from "./session";

/** For server components: the signed-in user (or a redirect to /login) and whether they hold `permission`. */
export async function pageAccess(permission: Permission): Promise<{ user: SessionUser; allowed: boolean }> {
  const user = await sessionUser(await headers());
  if (!user) redirect("/login");
  return { user, allowed: can(user.role, permission) };
}

export async function currentUser(): Promise<SessionUser | null> {
  return sessionUser(await headers());
}
