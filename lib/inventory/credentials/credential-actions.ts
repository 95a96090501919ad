import { randomUUID } from "node:crypto";
import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict, invalidField, notFound } from "@/lib/api/errors";
import { seal } from "@/lib/crypto/secret-box";
import { idField, nameField } from "../fields";
import { parsePrivateKey } from "./parse-private-key";

const secretFields = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("SSH_KEY"),
    secret: z.string({ error: "paste the private key" }).min(1, "paste the private key").max(20_000, "too long for a key"),
    passphrase: z.string().max(1000).optional(),
  }),
  z.object({
    kind: z.literal("PASSWORD"),
    secret: z.string({ error: "required" }).min(1, "required").max(1000, "at most 1000 characters"),
    passphrase: z.undefined().optional().or(z.literal("")),
  }),
], { error: "choose SSH key or password" });

type SecretFields = z.output<typeof secretFields>;

/** Validates the secret and seals it, bound to the credential's id. */
function sealSecret(id: string, input: SecretFields) {
  let hint = "";
  if (input.kind === "SSH_KEY") {
    const parsed = parsePrivateKey(input.secret, input.passphrase || undefined);
    if (!parsed.ok) return fail<{ sealed: string; hint: string }>(invalidField(parsed.field, parsed.message));
    hint = parsed.hint;
  }
  const payload = JSON.stringify({ secret: input.secret, passphrase: input.kind === "SSH_KEY" ? input.passphrase || null : null });
  return ok({ sealed: seal(payload, id), hint });
}

export const createCredential = defineAction({
  name: "credential.create",
  permission: "credentials:write",
  input: z.intersection(z.object({ name: nameField }), secretFields),
  async run({ tx, audit }, input) {
    if (await tx.credential.findUnique({ where: { name: input.name } })) {
      return fail(fieldConflict("name", `A credential named "${input.name}" already exists.`));
    }
    const id = randomUUID();
    const sealed = sealSecret(id, input);
    if (!sealed.ok) return sealed;
    await tx.credential.create({ data: { id, name: input.name, kind: input.kind, sealed: sealed.value.sealed, publicHint: sealed.value.hint } });
    await audit({ action: "credential.create", payload: { credentialId: id, name: input.name, kind: input.kind, publicHint: sealed.value.hint } });
    return ok({ id });
  },
});

/** Renames and/or replaces the secret. The old secret is never returned; a blank secret keeps it. */
export const updateCredential = defineAction({
  name: "credential.update",
  permission: "credentials:write",
  input: z.object({
    id: idField,
    name: nameField,
    secret: z.string().max(20_000).optional(),
    passphrase: z.string().max(1000).optional(),
  }),
  async run({ tx, audit }, input) {
    const before = await tx.credential.findUnique({ where: { id: input.id } });
    if (!before) return fail(notFound("This credential"));
    if (await tx.credential.findFirst({ where: { name: input.name, NOT: { id: input.id } } })) {
      return fail(fieldConflict("name", `A credential named "${input.name}" already exists.`));
    }
    let rotated: { sealed: string; hint: string } | null = null;
    if (input.secret) {
      const sealed = sealSecret(input.id, before.kind === "SSH_KEY"
        ? { kind: "SSH_KEY", secret: input.secret, passphrase: input.passphrase }
        : { kind: "PASSWORD", secret: input.secret });
      if (!sealed.ok) return sealed;
      rotated = sealed.value;
    }
    await tx.credential.update({
      where: { id: input.id },
      data: { name: input.name, ...(rotated ? { sealed: rotated.sealed, publicHint: rotated.hint } : {}) },
    });
    await audit({ action: "credential.update", payload: { credentialId: input.id, name: input.name, previousName: before.name, secretReplaced: rotated !== null, publicHint: rotated?.hint ?? before.publicHint } });
    return ok({ id: input.id });
  },
});

export const deleteCredential = defineAction({
  name: "credential.delete",
  permission: "credentials:write",
  input: z.object({ id: idField }),
  async run({ tx, audit }, { id }) {
    const credential = await tx.credential.findUnique({ where: { id }, include: { hosts: { select: { name: true } } } });
    if (!credential) return fail(notFound("This credential"));
    if (credential.hosts.length > 0) {
      return fail({ code: "IN_USE", message: `Credential ${credential.name} is still used by host${credential.hosts.length > 1 ? "s" : ""} ${credential.hosts.map((h) => h.name).join(", ")}.` });
    }
    await tx.credential.delete({ where: { id } });
    await audit({ action: "credential.delete", payload: { credentialId: id, name: credential.name, kind: credential.kind } });
    return ok({ id });
  },
});
