import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { recordAudit } from "@/lib/audit/append";
import { authSecret, env } from "@/lib/config/env";
import { db } from "@/lib/db";
import { clearFailedSignIns, lockStateOf, registerFailedSignIn } from "./lockout";

const SIGN_IN = "/sign-in/email";
const SIGN_OUT = "/sign-out";

function emailOf(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}

function createAuth() {
  const config = env();
  return betterAuth({
    appName: "Keel",
    baseURL: config.KEEL_BASE_URL,
    secret: authSecret(),
    database: prismaAdapter(db, { provider: "postgresql" }),
    // Accounts are created by an ADMIN (lib/users), never by self-service sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    session: {
      expiresIn: Math.round(config.KEEL_SESSION_HOURS * 3600),
      updateAge: 15 * 60,
      // Every request reads the session from the database, so a disabled user or a sign-out takes effect at once.
      cookieCache: { enabled: false },
    },
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false },
        disabled: { type: "boolean", input: false, required: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 600,
      customRules: { [SIGN_IN]: { window: 60, max: config.KEEL_SIGNIN_RATE_PER_MINUTE } },
    },
    advanced: { ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] } },
    trustedOrigins: [config.KEEL_BASE_URL, "http://localhost:3000", "http://127.0.0.1:3000"],
    telemetry: { enabled: false },
    logger: { level: "error" },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === SIGN_OUT) {
          // Read before the session is deleted, so the audit row names who signed out.
          const session = await getSessionFromCtx(ctx).catch(() => null);
          if (session) {
            const role = (session.user as { role?: string }).role ?? "";
            await recordAudit({ id: session.user.id, email: session.user.email, role }, { action: "auth.sign_out" });
          }
          return;
        }
        if (ctx.path !== SIGN_IN) return;
        const email = emailOf(ctx.body);
        const lock = await lockStateOf(email);
        if (lock.locked) {
          await recordAudit({ id: null, email, role: "" }, {
            action: "auth.sign_in",
            outcome: "denied",
            payload: { reason: "account locked", lockedUntil: lock.until.toISOString() },
          });
          throw new APIError("TOO_MANY_REQUESTS", {
            message: `Too many failed sign-ins: this account is locked until ${lock.until.toISOString()}.`,
          });
        }
        const user = await db.user.findUnique({ where: { email }, select: { disabled: true } });
        if (user?.disabled) {
          await recordAudit({ id: null, email, role: "" }, { action: "auth.sign_in", outcome: "denied", payload: { reason: "account disabled" } });
          throw new APIError("FORBIDDEN", { message: "This account is disabled." });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === SIGN_IN) {
          const email = emailOf(ctx.body);
          const returned = ctx.context.returned;
          const session = ctx.context.newSession;
          if (session && !isAPIError(returned)) {
            await clearFailedSignIns(session.user.id);
            const role = (session.user as { role?: string }).role ?? "";
            await recordAudit({ id: session.user.id, email: session.user.email, role }, { action: "auth.sign_in" });
            return;
          }
          const counted = await registerFailedSignIn(email);
          await recordAudit({ id: null, email, role: "" }, {
            action: "auth.sign_in",
            outcome: "failed",
            payload: { reason: "wrong email or password", ...(counted?.lockedUntil ? { lockedUntil: counted.lockedUntil.toISOString() } : {}) },
          });
        }
      }),
    },
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { keelAuth?: Auth };

export function auth(): Auth {
  globalForAuth.keelAuth ??= createAuth();
  return globalForAuth.keelAuth;
}
