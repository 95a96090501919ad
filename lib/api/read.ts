import { z } from "zod";
import { recordAudit } from "@/lib/audit/append";
import { can, type Permission } from "@/lib/auth/roles";
import { type SessionUser, sessionUser } from "@/lib/auth/session";
import { logger } from "@/lib/log";
import { fieldErrorsOf, toActor } from "./action";
import { fail, ok, type Result } from "./errors";
import { respond } from "./http";

/** Session and role check shared by every read: pages, route handlers and exports. */
export async function authorize(actor: SessionUser | null, permission: Permission, what: string): Promise<Result<SessionUser>> {
  if (!actor) return fail({ code: "UNAUTHENTICATED", message: "Sign in first." });
  if (!can(actor.role, permission)) {
    await recordAudit(toActor(actor), { action: what, outcome: "denied", payload: { reason: `role ${actor.role} lacks ${permission}` } });
    return fail({ code: "FORBIDDEN", message: `Your role (${actor.role}) may not see this.` });
  }
  return ok(actor);
}

/** A read-only route handler: session → role → zod on the query string → query. */
export function readRoute<S extends z.ZodType, T>(
  name: string,
  permission: Permission,
  input: S,
  query: (input: z.output<S>, actor: SessionUser) => Promise<T>,
) {
  return async (req: Request, ctx: { params: Promise<Record<string, string | string[] | undefined>> }): Promise<Response> => {
    try {
      const allowed = await authorize(await sessionUser(req.headers), permission, name);
      if (!allowed.ok) return respond(allowed);
      const search = Object.fromEntries(new URL(req.url).searchParams);
      const parsed = input.safeParse({ ...search, ...(await ctx.params) });
      if (!parsed.success) return respond(fail({ code: "VALIDATION", message: "Some parameters need attention.", fieldErrors: fieldErrorsOf(parsed.error) }));
      return respond(ok(await query(parsed.data, allowed.value)));
    } catch (e) {
      logger.error({ err: e, read: name }, "read failed");
      return Response.json({ ok: false, error: { code: "INTERNAL", message: "Keel could not read this. The server log has details." } }, { status: 500 });
    }
  };
}
