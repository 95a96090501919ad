// Server-sent events for one run: everything so far (run, steps, output), then each change as the
// worker commits it (LISTEN/NOTIFY). A reconnecting EventSource resumes from Last-Event-ID.
import { z } from "zod";

import { authorize } from "@/lib/api/read";
import { sessionUser } from "@/lib/auth/session";
import { runListener } from "@/lib/runs/listen";
import { getRunView, runOutputSince } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

const params = z.object({ runId: z.uuid() });
const cursor = z.string().regex(/^\d{1,19}$/).catch("0");
// A safety net under NOTIFY: a missed notification costs at most this long.
const FALLBACK_POLL_MS = 5_000;

export async function GET(req: Request, ctx: { params: Promise<{ runId: string }> }): Promise<Response> {
  const allowed = await authorize(await sessionUser(req.headers), "runs:read", "run.events");
  if (!allowed.ok) return Response.json({ ok: false, error: allowed.error }, { status: allowed.error.code === "UNAUTHENTICATED" ? 401 : 403 });
  const parsed = params.safeParse(await ctx.params);
  if (!parsed.success) return Response.json({ ok: false, error: { code: "VALIDATION", message: "Not a run id." } }, { status: 400 });
  const { runId } = parsed.data;
  if (!(await getRunView(runId))) return Response.json({ ok: false, error: { code: "NOT_FOUND", message: "This run does not exist." } }, { status: 404 });

  const listener = runListener();
  await listener.ensure();
  let after = cursor.parse(req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("after") ?? "0");
  const encoder = new TextEncoder();
  let closed = false;
  let pending: Promise<void> = Promise.resolve();
  let lastRunJson = "";

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown, id?: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const push = async () => {
        const run = await getRunView(runId);
        if (!run) return;
        const runJson = JSON.stringify(run);
        if (runJson !== lastRunJson) {
          send("run", run);
          lastRunJson = runJson;
        }
        for (;;) {
          const lines = await runOutputSince(runId, after);
          if (lines.length === 0) break;
          after = lines.at(-1)?.id ?? after;
          send("output", lines, after);
        }
      };
      const wake = () => {
        pending = pending.then(push).catch(() => undefined);
      };
      const timer = setInterval(wake, FALLBACK_POLL_MS);
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(": keep-alive\n\n")), 15_000);
      listener.on(runId, wake);
      listener.on("lost", wake);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(heartbeat);
        listener.off(runId, wake);
        listener.off("lost", wake);
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      req.signal.addEventListener("abort", close);
      wake();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
