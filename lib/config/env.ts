import { z } from "zod";
import { fileSecret } from "./file-secret";

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is not set: run through `npm run demo` / `npm test`, or set it"),
  KEEL_BASE_URL: z.url().default("http://127.0.0.1:3000"),
  KEEL_SESSION_HOURS: z.coerce.number().positive().default(12),
  KEEL_LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(5),
  KEEL_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  KEEL_SIGNIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type KeelEnv = z.infer<typeof envSchema>;

let cached: KeelEnv | undefined;

export function env(): KeelEnv {
  cached ??= envSchema.parse(process.env);
  return cached;
}

/** 32-byte key for sealing credentials: KEEL_SECRET_KEY (base64) or .data/secret.key. */
export function credentialKey(): Buffer {
  const key = fileSecret(process.env.KEEL_SECRET_KEY, "secret.key");
  if (key.length !== 32) throw new Error("KEEL_SECRET_KEY must be 32 bytes, base64-encoded");
  return key;
}

/** Secret better-auth signs session cookies with: BETTER_AUTH_SECRET or .data/auth-secret. */
export function authSecret(): string {
  return fileSecret(process.env.BETTER_AUTH_SECRET, "auth-secret").toString("base64");
}
