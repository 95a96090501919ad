import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Role } from "@/lib/auth/roles";
import type { Tx } from "@/lib/db";

/** Inserts a user and its password account the way better-auth's email/password provider stores them. */
export async function createUserRecord(tx: Tx, input: { email: string; name: string; role: Role; password: string }): Promise<string> {
  const id = randomUUID();
  const hash = await hashPassword(input.password);
  await tx.user.create({
    data: {
      id,
      email: input.email,
      name: input.name,
      role: input.role,
      emailVerified: true,
      accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password: hash } },
    },
  });
  return id;
}

export async function setPasswordRecord(tx: Tx, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: hash } });
  await tx.session.deleteMany({ where: { userId } });
}
