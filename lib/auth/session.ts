import { db } from "@/lib/db";
import { auth } from "./auth";
import { type Role, roleSchema } from "./roles";

export type SessionUser = { id: string; email: string; name: string; role: Role };

/** The signed-in, enabled user behind these request headers, or null. Always read from the database. */
export async function sessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  const user = await db.user.findUnique({
    where: { id: session.user.id },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: roleSchema.parse(user.role) };
}
