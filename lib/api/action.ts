import { z } from "zod";
import { appendAudit, recordAudit } from "@/lib/audit/append";
import type { AuditActor, AuditInput } from "@/lib/audit/types";
import { can, type Permission } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { db, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { type AppError, AppErrorAbort, fail, ok, type Result } from "./errors";

export type ActionContext = {
  actor: SessionUser;
  tx: Tx;
  /** Appends to the audit chain inside this action's transaction. */
  audit: (event: AuditInput) => Promise<void>;
};

export type ActionDef<S extends z.ZodType, T, R = undefined> = {
  name: string;
  permission: Permission;
  input: S;
  /**
   * Work on remote hosts (probes, status commands), done after authorisation and validation but
   * outside the transaction, so no database transaction is held open while a host answers. Every
   * remote command audits itself (lib/remote/run-on-host.ts). Its value is handed to `run`.
   */
  remote?: (actor: SessionUser, input: z.output<S>) => Promise<Result<R>>;
  run: (ctx: ActionContext, input: z.output<S>, remote: R) => Promise<Result<T>>;
};

export type Action<S extends z.ZodType, T, R = undefined> = ActionDef<S, T, R> & {
  /** session → authorise → validate → remote phase → run and audit in one transaction. */
  invoke: (actor: SessionUser | null, raw: unknown) => Promise<Result<T>>;
};

export function toActor(user: SessionUser): AuditActor {
  return { id: user.id, email: user.email, role: user.role };
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function uniqueViolation(e: unknown): AppError | null {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
    return { code: "CONFLICT", message: "Another record already uses this value; nothing was changed." };
  }
  return null;
}

export function defineAction<S extends z.ZodType, T, R = undefined>(def: ActionDef<S, T, R>): Action<S, T, R> {
  return {
    ...def,
    async invoke(actor, raw) {
      if (!actor) return fail({ code: "UNAUTHENTICATED", message: "Sign in first." });
      if (!can(actor.role, def.permission)) {
        await recordAudit(toActor(actor), { action: def.name, outcome: "denied", payload: { reason: `role ${actor.role} lacks ${def.permission}` } });
        return fail({ code: "FORBIDDEN", message: `Your role (${actor.role}) may not do this.` });
      }
      const parsed = def.input.safeParse(raw);
      if (!parsed.success) {
        return fail({ code: "VALIDATION", message: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) });
      }
      let remote = undefined as R;
      if (def.remote) {
        const fetched = await def.remote(actor, parsed.data);
        if (!fetched.ok) return fail(fetched.error);
        remote = fetched.value;
      }
      try {
        return await db.$transaction(async (tx) => {
          const ctx: ActionContext = {
            actor,
            tx,
            audit: async (event) => {
              await appendAudit(tx, toActor(actor), { ...event, action: event.action || def.name });
            },
          };
          const result = await def.run(ctx, parsed.data, remote);
          // A failed result must leave nothing behind: roll back whatever the action did so far.
          if (!result.ok) throw new AppErrorAbort(result.error);
          return result;
        }, { timeout: 10_000, maxWait: 10_000 });
      } catch (e) {
        if (e instanceof AppErrorAbort) return fail(e.appError);
        const conflict = uniqueViolation(e);
        if (conflict) return fail(conflict);
        throw e;
      }
    },
  };
}

export { ok, fail };
