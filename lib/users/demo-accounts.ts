import type { Role } from "@/lib/auth/roles";

/** The demo console's accounts, one per role. Demo only: `npm run demo` prints them. */
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "admin@keel.local", name: "Ada Admin", role: "ADMIN", password: "keel-admin-demo" },
  { email: "dba@keel.local", name: "Dana DBA", role: "DBA", password: "keel-dba-demo" },
  { email: "lead@keel.local", name: "Lee Lead", role: "LEAD", password: "keel-lead-demo" },
  { email: "auditor@keel.local", name: "Alex Auditor", role: "AUDITOR", password: "keel-auditor-demo" },
];
