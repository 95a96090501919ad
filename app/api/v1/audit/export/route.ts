import { z } from "zod";
import { recordAudit } from "@/lib/audit/append";
import { auditFilterSchema, type AuditEventView, iterateAuditEvents } from "@/lib/audit/query";
import { toActor, fieldErrorsOf } from "@/lib/api/action";
import { fail } from "@/lib/api/errors";
import { respond } from "@/lib/api/http";
import { authorize } from "@/lib/api/read";
import { sessionUser } from "@/lib/auth/session";
import { csvHeader, csvRow } from "@/lib/audit/csv";

const exportSchema = auditFilterSchema.omit({ before: true, limit: true }).extend({ format: z.enum(["csv", "json"]).default("csv") });

/** Streams every matching event (oldest first) as CSV or as a JSON array, without buffering the table. */
export async function GET(req: Request): Promise<Response> {
  const allowed = await authorize(await sessionUser(req.headers), "audit:read", "audit.export");
  if (!allowed.ok) return respond(allowed);
  const parsed = exportSchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return respond(fail({ code: "VALIDATION", message: "Some parameters need attention.", fieldErrors: fieldErrorsOf(parsed.error) }));
  const { format, ...filter } = parsed.data;
  await recordAudit(toActor(allowed.value), { action: "audit.export", payload: { format, filter } });
  const encoder = new TextEncoder();
  const events = iterateAuditEvents(filter);
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : "["));
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
        return;
      }
      const e: AuditEventView = next.value;
      controller.enqueue(encoder.encode(format === "csv" ? csvRow(e) : `${first ? "" : ","}\n${JSON.stringify(e)}`));
      first = false;
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="keel-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
