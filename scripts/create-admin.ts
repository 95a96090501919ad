// First ADMIN for a fresh installation (docker compose, production): KEEL_ADMIN_EMAIL and
// KEEL_ADMIN_PASSWORD. Does nothing once any user exists; further accounts are made in /users.
import { z } from "zod";
import { appendAudit } from "@/lib/audit/append";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { db, disconnectDb } from "@/lib/db";
import { createUserRecord } from "@/lib/users/create-user-record";

const input = z.object({
  KEEL_ADMIN_EMAIL: z.email("KEEL_ADMIN_EMAIL must be an e-mail address"),
  KEEL_ADMIN_PASSWORD: z.string().min(10, "KEEL_ADMIN_PASSWORD must have at least 10 characters"),
});

async function main(): Promise<number> {
  if ((await db.user.count()) > 0) {
    console.log("users exist already; no admin created");
    return 0;
  }
  const parsed = input.safeParse(process.env);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => i.message).join("\n"));
    return 1;
  }
  const email = parsed.data.KEEL_ADMIN_EMAIL.toLowerCase();
  await db.$transaction(async (tx) => {
    const id = await createUserRecord(tx, { email, name: "Administrator", role: "ADMIN", password: parsed.data.KEEL_ADMIN_PASSWORD });
    await appendAudit(tx, SYSTEM_ACTOR, { action: "user.create", payload: { userId: id, email, role: "ADMIN", bootstrap: true } });
  });
  console.log(`created ADMIN ${email}`);
  return 0;
}

main().then(async (code) => {
  await disconnectDb();
  process.exit(code);
});
