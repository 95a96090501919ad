import { z } from "zod";
import { defineAction, ok, toActor } from "@/lib/api/action";
import { fail, notFound } from "@/lib/api/errors";
import { runOnHost } from "@/lib/remote/run-on-host";
import { isSha256Fingerprint, probeHostKey } from "@/lib/ssh";
import { idField } from "../fields";

/** First contact: learn the key the host presents, so a person can compare it out of band. */
export const probeHostKeyAction = defineAction({
  name: "host.key_probe",
  permission: "hosts:trust",
  transactionTimeoutMs: 60_000,
  input: z.object({ id: idField }),
  async run({ tx, audit }, { id }) {
    const host = await tx.host.findUnique({ where: { id } });
    if (!host) return fail(notFound("This host"));
    const probe = await probeHostKey(host.address, host.sshPort, { timeoutMs: 8000 });
    if (!probe.ok) return fail({ code: "VALIDATION", message: probe.error.message, fieldErrors: {} });
    const { fingerprint, keyType } = probe.hostKey;
    await audit({ action: "host.key_probe", hostId: id, hostName: host.name, payload: { fingerprint, keyType, pinned: host.hostKeyFingerprint } });
    return ok({ fingerprint, keyType, pinned: host.hostKeyFingerprint, matchesPin: host.hostKeyFingerprint === fingerprint });
  },
});

/**
 * Pins the key a person confirmed. The host is asked again: if it now presents another key than the
 * one confirmed, nothing is pinned.
 */
export const trustHostKey = defineAction({
  name: "host.key_trust",
  permission: "hosts:trust",
  transactionTimeoutMs: 60_000,
  input: z.object({ id: idField, fingerprint: z.string().trim().refine(isSha256Fingerprint, "a SHA256:… fingerprint as shown") }),
  async run({ tx, audit, actor }, { id, fingerprint }) {
    const host = await tx.host.findUnique({ where: { id } });
    if (!host) return fail(notFound("This host"));
    const probe = await probeHostKey(host.address, host.sshPort, { timeoutMs: 8000 });
    if (!probe.ok) return fail({ code: "VALIDATION", message: probe.error.message, fieldErrors: {} });
    if (probe.hostKey.fingerprint !== fingerprint) {
      return fail({ code: "CONFLICT", message: `The host now presents ${probe.hostKey.fingerprint}, not the key you confirmed (${fingerprint}). Nothing was pinned.` });
    }
    await tx.host.update({
      where: { id },
      data: { hostKeyFingerprint: fingerprint, hostKeyTrustedAt: new Date(), hostKeyTrustedBy: actor.email, hostKeyMismatchFingerprint: null, hostKeyMismatchAt: null },
    });
    await audit({ action: "host.key_trust", hostId: id, hostName: host.name, payload: { previous: host.hostKeyFingerprint, pinned: fingerprint, keyType: probe.hostKey.keyType } });
    return ok({ fingerprint });
  },
});

/** Runs `uname -n` through the same audited path procedures use; the answer names any problem plainly. */
export const testHostConnection = defineAction({
  name: "host.test_connection",
  permission: "inventory:write",
  transactionTimeoutMs: 60_000,
  input: z.object({ id: idField }),
  async run({ tx, actor }, { id }) {
    const host = await tx.host.findUnique({ where: { id } });
    if (!host) return fail(notFound("This host"));
    // runOnHost audits the attempt itself (in its own transaction), whatever the outcome.
    const result = await runOnHost({ actor: toActor(actor), purpose: "test connection" }, id, ["uname", "-n"], { timeoutMs: 10_000 });
    return ok(result.ok ? { ok: true as const, output: result.stdout.trim(), durationMs: result.durationMs } : { ok: false as const, kind: result.kind, message: result.message });
  },
});
