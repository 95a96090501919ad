import { z } from "zod";

export const apiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

const envelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** Calls Keel's JSON API; a failure arrives as ApiCallError carrying the server's field errors. */
export async function callApi(method: string, url: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiCallError({ code: "NETWORK", message: "Keel's server cannot be reached; nothing was sent." });
  }
  const parsed = envelope.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiCallError({ code: "INTERNAL", message: `Unexpected answer from the server (HTTP ${res.status}).` });
  if (!parsed.data.ok) throw new ApiCallError(parsed.data.error);
  return parsed.data.data;
}
