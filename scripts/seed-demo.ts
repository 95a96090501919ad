// Seeds the demo accounts (one per role). Idempotent: existing accounts keep their data.
import { appendAudit } from "@/lib/audit/append";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { db, disconnectDb } from "@/lib/db";
import { createUserRecord } from "@/lib/users/create-user-record";
import { DEMO_ACCOUNTS } from "@/lib/users/demo-accounts";

async function main(): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: account.email } })) return;
      const id = await createUserRecord(tx, account);
      await appendAudit(tx, SYSTEM_ACTOR, { action: "user.create", payload: { userId: id, email: account.email, role: account.role, seed: "demo" } });
    });
  }
  console.log("Demo accounts:");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(8)} ${a.email.padEnd(22)} ${a.password}`);
}

main()
  .then(() => disconnectDb())
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    await disconnectDb();
    process.exit(1);
  });
