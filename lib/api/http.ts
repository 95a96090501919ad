import { sessionUser } from "@/lib/auth/session";
import { logger } from "@/lib/log";
import type { Action } from "./action";
import { HTTP_STATUS, type Result } from "./errors";
import type { z } from "zod";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

async function bodyOf(req: Request): Promise<Record<string, unknown>> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await req.text();
    if (!text) return {};
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { _body: parsed };
  }
  if (type.includes("form")) return Object.fromEntries(await req.formData());
  return {};
}

export function respond<T>(result: Result<T>, successStatus = 200): Response {
  if (result.ok) return Response.json({ ok: true, data: result.value ?? null }, { status: successStatus });
  return Response.json({ ok: false, error: result.error }, { status: HTTP_STATUS[result.error.code] });
}

/**
 * The one route-handler wrapper: session from the request, route params merged into the input,
 * the action's own chain (authorise, validate, run + audit in one transaction), one error mapping.
 */
export function route<S extends z.ZodType, T, R>(action: Action<S, T, R>, successStatus = 200) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    try {
      const actor = await sessionUser(req.headers);
      let body: Record<string, unknown>;
      try {
        body = await bodyOf(req);
      } catch {
        return Response.json({ ok: false, error: { code: "VALIDATION", message: "The request body is not valid JSON.", fieldErrors: {} } }, { status: 400 });
      }
      const params = await ctx.params;
      return respond(await action.invoke(actor, { ...body, ...params }), successStatus);
    } catch (e) {
      logger.error({ err: e, action: action.name }, "action failed");
      return Response.json({ ok: false, error: { code: "INTERNAL", message: "Keel could not complete this; nothing was changed. The server log has details." } }, { status: 500 });
    }
  };
}
