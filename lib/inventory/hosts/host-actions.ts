import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { fail, fieldConflict, notFound } from "@/lib/api/errors";
import type { Tx } from "@/lib/db";
import { checkbox, hostAddress, idField, nameField, optionalId, port, unixUser } from "../fields";

const hostFields = z.object({
  name: nameField,
  address: hostAddress,
  sshPort: port.default(22),
  username: unixUser,
  credentialId: optionalId,
  runsMwaOrCollector: checkbox.default(false),
});
type HostFields = z.output<typeof hostFields>;

async function findClash(tx: Tx, input: HostFields, selfId?: string) {
  const notSelf = selfId ? { NOT: { id: selfId } } : {};
  if (await tx.host.findFirst({ where: { name: input.name, ...notSelf } })) {
    return fieldConflict("name", `A host named "${input.name}" already exists.`);
  }
  const same = await tx.host.findFirst({ where: { address: input.address, sshPort: input.sshPort, username: input.username, ...notSelf } });
  if (same) return fieldConflict("address", `Host ${same.name} already is ${input.username}@${input.address}:${input.sshPort}.`);
  if (input.credentialId && !(await tx.credential.findUnique({ where: { id: input.credentialId } }))) {
    return { code: "VALIDATION" as const, message: "Some fields need attention.", fieldErrors: { credentialId: ["this credential does not exist"] } };
  }
  return null;
}

export const createHost = defineAction({
  name: "host.create",
  permission: "inventory:write",
  input: hostFields,
  async run({ tx, audit }, input) {
    const clash = await findClash(tx, input);
    if (clash) return fail(clash);
    const host = await tx.host.create({ data: { ...input, credentialId: input.credentialId ?? null } });
    await audit({ action: "host.create", hostId: host.id, hostName: host.name, payload: { address: input.address, sshPort: input.sshPort, username: input.username, credentialId: input.credentialId ?? null } });
    return ok({ id: host.id });
  },
});

export const updateHost = defineAction({
  name: "host.update",
  permission: "inventory:write",
  input: hostFields.extend({ id: idField }),
  async run({ tx, audit }, { id, ...input }) {
    const before = await tx.host.findUnique({ where: { id } });
    if (!before) return fail(notFound("This host"));
    const clash = await findClash(tx, input, id);
    if (clash) return fail(clash);
    // A new address or port is a different machine as far as its key goes: the pin must be trusted again.
    const moved = before.address !== input.address || before.sshPort !== input.sshPort;
    await tx.host.update({
      where: { id },
      data: { ...input, credentialId: input.credentialId ?? null, ...(moved ? { hostKeyFingerprint: null, hostKeyTrustedAt: null, hostKeyTrustedBy: null } : {}) },
    });
    await audit({
      action: "host.update",
      hostId: id,
      hostName: input.name,
      payload: {
        before: { name: before.name, address: before.address, sshPort: before.sshPort, username: before.username, credentialId: before.credentialId },
        after: input,
        ...(moved ? { hostKeyPinCleared: true } : {}),
      },
    });
    return ok({ id });
  },
});

export const deleteHost = defineAction({
  name: "host.delete",
  permission: "inventory:write",
  input: z.object({ id: idField }),
  async run({ tx, audit }, { id }) {
    const host = await tx.host.findUnique({ where: { id }, include: { nodes: { include: { cluster: { select: { name: true } } } } } });
    if (!host) return fail(notFound("This host"));
    if (host.nodes.length > 0) {
      const users = host.nodes.map((n) => `${n.name} (${n.cluster.name})`).join(", ");
      return fail({ code: "IN_USE", message: `Host ${host.name} is still used by node${host.nodes.length > 1 ? "s" : ""} ${users}; remove or move them first.` });
    }
    await tx.host.delete({ where: { id } });
    await audit({ action: "host.delete", hostId: id, hostName: host.name, payload: { address: host.address, sshPort: host.sshPort } });
    return ok({ id });
  },
});
