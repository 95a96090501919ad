import { z } from "zod";
import { defineAction, ok, toActor } from "@/lib/api/action";
import { type AppError, fail, notFound, type Result } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { runOnHost } from "@/lib/remote/run-on-host";
import { isSha256Fingerprint, type ProbedHostKey, probeHostKey } from "@/lib/ssh";
import { idField } from "../fields";

type ProbedHost = { host: { id: string; name: string; address: string; sshPort: number; hostKeyFingerprint: string | null }; key: ProbedHostKey };

/** Asks the host for its key (no credential is sent), outside any transaction. */
async function probeHost(id: string): Promise<Result<ProbedHost>> {
  const host = await db.host.findUnique({ where: { id }, select: { id: true, name: true, address: true, sshPort: true, hostKeyFingerprint: true } });
  if (!host) return fail(notFound("This host"));
  const probe = await probeHostKey(host.address, host.sshPort, { timeoutMs: 8000 });
  if (!probe.ok) return fail({ code: "VALIDATION", message: probe.error.message, fieldErrors: {} });
  return ok({ host, key: probe.hostKey });
}

/** The host row must still be the machine that was asked: same address and port. */
function movedSinceProbe(current: { address: string; sshPort: number } | null, probed: ProbedHost["host"]): AppError | null {
  if (!current) return notFound("This host");
  if (current.address !== probed.address || current.sshPort !== probed.sshPort) {
    return { code: "CONFLICT", message: "The host's address changed while its key was being fetched. Nothing was pinned; fetch the key again." };
  }
  return null;
}

/** First contact: learn the key the host presents, so a person can compare it out of band. */
export const probeHostKeyAction = defineAction({
  name: "host.key_probe",
  permission: "hosts:trust",
  input: z.object({ id: idField }),
  remote: (_actor, { id }) => probeHost(id),
  async run({ audit }, { id }, { host, key }) {
    await audit({ action: "host.key_probe", hostId: id, hostName: host.name, payload: { fingerprint: key.fingerprint, keyType: key.keyType, pinned: host.hostKeyFingerprint } });
    return ok({ fingerprint: key.fingerprint, keyType: key.keyType, pinned: host.hostKeyFingerprint, matchesPin: host.hostKeyFingerprint === key.fingerprint });
  },
});

/**
 * Pins the key a person confirmed. The host is asked again: if it now presents another key than the
 * one confirmed, nothing is pinned.
 */
export const trustHostKey = defineAction({
  name: "host.key_trust",
  permission: "hosts:trust",
  input: z.object({ id: idField, fingerprint: z.string().trim().refine(isSha256Fingerprint, "a SHA256:… fingerprint as shown") }),
  remote: (_actor, { id }) => probeHost(id),
  async run({ tx, audit, actor }, { id, fingerprint }, probed) {
    const current = await tx.host.findUnique({ where: { id } });
    const moved = movedSinceProbe(current, probed.host);
    if (moved) return fail(moved);
    if (probed.key.fingerprint !== fingerprint) {
      return fail({ code: "CONFLICT", message: `The host now presents ${probed.key.fingerprint}, not the key you confirmed (${fingerprint}). Nothing was pinned.` });
    }
    await tx.host.update({
      where: { id },
      data: { hostKeyFingerprint: fingerprint, hostKeyTrustedAt: new Date(), hostKeyTrustedBy: actor.email, hostKeyMismatchFingerprint: null, hostKeyMismatchAt: null },
    });
    await audit({ action: "host.key_trust", hostId: id, hostName: probed.host.name, payload: { previous: current?.hostKeyFingerprint ?? null, pinned: fingerprint, keyType: probed.key.keyType } });
    return ok({ fingerprint });
  },
});

type ConnectionTest = { ok: true; output: string; durationMs: number } | { ok: false; kind: string; message: string };

/** Runs `uname -n` through the same audited path procedures use; the answer names any problem plainly. */
export const testHostConnection = defineAction({
  name: "host.test_connection",
  permission: "inventory:write",
  input: z.object({ id: idField }),
  async remote(actor, { id }): Promise<Result<ConnectionTest>> {
    if (!(await db.host.findUnique({ where: { id }, select: { id: true } }))) return fail(notFound("This host"));
    // runOnHost audits the attempt itself, whatever the outcome.
    const result = await runOnHost({ actor: toActor(actor), purpose: "test connection" }, id, ["uname", "-n"], { timeoutMs: 10_000 });
    return ok(result.ok ? { ok: true, output: result.stdout.trim(), durationMs: result.durationMs } : { ok: false, kind: result.kind, message: result.message });
  },
  run: async (_ctx, _input, test) => ok(test),
});
