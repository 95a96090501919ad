import { recordAudit } from "@/lib/audit/append";
import { verifyAuditChain } from "@/lib/audit/verify";
import { toActor } from "@/lib/api/action";
import { ok } from "@/lib/api/errors";
import { respond } from "@/lib/api/http";
import { authorize } from "@/lib/api/read";
import { sessionUser } from "@/lib/auth/session";

export async function POST(req: Request): Promise<Response> {
  const allowed = await authorize(await sessionUser(req.headers), "audit:read", "audit.verify");
  if (!allowed.ok) return respond(allowed);
  const report = await verifyAuditChain();
  await recordAudit(toActor(allowed.value), { action: "audit.verify", outcome: report.intact ? "ok" : "failed", payload: report });
  return respond(ok(report));
}
