import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict, invalidField, notFound } from "@/lib/api/errors";
import { roleSchema } from "@/lib/auth/roles";
import type { Tx } from "@/lib/db";
import { checkbox } from "@/lib/inventory/fields";
import { createUserRecord, setPasswordRecord } from "./create-user-record";

const email = z.string({ error: "required" }).trim().toLowerCase().pipe(z.email("an e-mail address, e.g. dba@example.com"));
const password = z.string({ error: "required" }).min(10, "at least 10 characters").max(200, "at most 200 characters");
const userId = z.string().min(1);

async function otherEnabledAdmins(tx: Tx, exceptId: string): Promise<number> {
  return tx.user.count({ where: { role: "ADMIN", disabled: false, NOT: { id: exceptId } } });
}

export const createUser = defineAction({
  name: "user.create",
  permission: "users:manage",
  input: z.object({ email, name: z.string().trim().min(1, "required").max(100), role: roleSchema, password }),
  async run({ tx, audit }, input) {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      return fail(fieldConflict("email", `${input.email} already has an account.`));
    }
    const id = await createUserRecord(tx, input);
    await audit({ action: "user.create", payload: { userId: id, email: input.email, role: input.role } });
    return ok({ id });
  },
});

export const updateUser = defineAction({
  name: "user.update",
  permission: "users:manage",
  input: z.object({ id: userId, name: z.string().trim().min(1, "required").max(100), role: roleSchema, disabled: checkbox.default(false) }),
  async run({ tx, audit, actor }, input) {
    const before = await tx.user.findUnique({ where: { id: input.id } });
    if (!before) return fail(notFound("This user"));
    const losesAdmin = before.role === "ADMIN" && !before.disabled && (input.role !== "ADMIN" || input.disabled);
    if (losesAdmin && (await otherEnabledAdmins(tx, input.id)) === 0) {
      return fail(invalidField("role", "Keel needs at least one enabled ADMIN; make another user ADMIN first."));
    }
    if (input.id === actor.id && input.disabled) return fail(invalidField("disabled", "You cannot disable your own account."));
    await tx.user.update({ where: { id: input.id }, data: { name: input.name, role: input.role, disabled: input.disabled } });
    // Role or status changes take effect at once: the user signs in again.
    if (before.role !== input.role || input.disabled) await tx.session.deleteMany({ where: { userId: input.id } });
    await audit({
      action: "user.update",
      payload: { userId: input.id, email: before.email, before: { role: before.role, disabled: before.disabled, name: before.name }, after: { role: input.role, disabled: input.disabled, name: input.name } },
    });
    return ok({ id: input.id });
  },
});

export const resetPassword = defineAction({
  name: "user.reset_password",
  permission: "users:manage",
  input: z.object({ id: userId, password }),
  async run({ tx, audit }, input) {
    const user = await tx.user.findUnique({ where: { id: input.id } });
    if (!user) return fail(notFound("This user"));
    await setPasswordRecord(tx, input.id, input.password);
    await tx.user.update({ where: { id: input.id }, data: { failedSignIns: 0, lockedUntil: null } });
    await audit({ action: "user.reset_password", payload: { userId: input.id, email: user.email } });
    return ok({ id: input.id });
  },
});
