import type { z } from "zod";
import type { Action } from "@/lib/api/action";
import { route } from "@/lib/api/http";

/** Calls an action exactly as its Next route handler does, with a browser's cookie and a JSON body. */
export async function callAction<S extends z.ZodType, T, R>(
  action: Action<S, T, R>,
  cookie: string,
  body: Record<string, unknown>,
  params: Record<string, string> = {},
): Promise<{ status: number; json: { ok: boolean; data?: unknown; error?: { code: string; message: string; fieldErrors?: Record<string, string[]> } } }> {
  const res = await route(action)(
    new Request("http://127.0.0.1:3000/api/v1/x", {
      method: "POST",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, json: (await res.json()) as never };
}
