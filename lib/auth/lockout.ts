import { env } from "@/lib/config/env";
import { db } from "@/lib/db";

export type LockState = { locked: false } | { locked: true; until: Date };

export async function lockStateOf(email: string): Promise<LockState> {
  const user = await db.user.findUnique({ where: { email }, select: { lockedUntil: true } });
  if (user?.lockedUntil && user.lockedUntil > new Date()) return { locked: true, until: user.lockedUntil };
  return { locked: false };
}

/** Counts a failed sign-in; the threshold-th consecutive failure locks the account for a while. */
export async function registerFailedSignIn(email: string): Promise<{ lockedUntil: Date | null; failures: number } | null> {
  const { KEEL_LOCKOUT_THRESHOLD, KEEL_LOCKOUT_MINUTES } = env();
  const user = await db.user.update({
    where: { email },
    data: { failedSignIns: { increment: 1 } },
    select: { id: true, failedSignIns: true },
  }).catch(() => null);
  if (!user) return null;
  if (user.failedSignIns >= KEEL_LOCKOUT_THRESHOLD) {
    const lockedUntil = new Date(Date.now() + KEEL_LOCKOUT_MINUTES * 60_000);
    await db.user.update({ where: { id: user.id }, data: { lockedUntil, failedSignIns: 0 } });
    return { lockedUntil, failures: user.failedSignIns };
  }
  return { lockedUntil: null, failures: user.failedSignIns };
}

export async function clearFailedSignIns(userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { failedSignIns: 0, lockedUntil: null } });
}
