import { readRoute } from "@/lib/api/read";
import { auditFilterSchema, listAuditEvents } from "@/lib/audit/query";

export const GET = readRoute("audit.read", "audit:read", auditFilterSchema, (filter) => listAuditEvents(filter));
