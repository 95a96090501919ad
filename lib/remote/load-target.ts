import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import type { SshTarget } from "@/lib/ssh";

export type HostRow = { id: string; name: string; address: string; sshPort: number; username: string };

export type LoadedTarget =
  | { ok: true; host: HostRow; target: SshTarget }
  | { ok: false; host: HostRow | null; message: string; kind: "inventory" | "host-key-unknown" };

/**
 * Turns a host of the inventory into an SSH target: its sealed credential opened in memory (never
 * logged, never returned to a browser) and its pinned host key, which ssh2 will insist on.
 */
export async function loadTarget(hostId: string): Promise<LoadedTarget> {
  const host = await db.host.findUnique({ where: { id: hostId }, include: { credential: true } });
  if (!host) return { ok: false, host: null, kind: "inventory", message: "This host no longer exists in the inventory." };
  const row: HostRow = { id: host.id, name: host.name, address: host.address, sshPort: host.sshPort, username: host.username };
  // Refused before any packet is sent: an untrusted host is not contacted by commands at all.
  if (!host.hostKeyFingerprint) {
    return { ok: false, host: row, kind: "host-key-unknown", message: `Host ${host.name} has no trusted host key yet: fetch and trust it on the host page first.` };
  }
  if (!host.credential) return { ok: false, host: row, kind: "inventory", message: `Host ${host.name} has no credential; choose one on the host page.` };
  let secret: { secret: string; passphrase: string | null };
  try {
    secret = JSON.parse(open(host.credential.sealed, host.credential.id)) as typeof secret;
  } catch {
    return { ok: false, host: row, kind: "inventory", message: `The credential ${host.credential.name} cannot be opened with this KEEL_SECRET_KEY.` };
  }
  const credential =
    host.credential.kind === "SSH_KEY"
      ? { type: "private-key" as const, privateKey: secret.secret, ...(secret.passphrase ? { passphrase: secret.passphrase } : {}) }
      : { type: "password" as const, password: secret.secret };
  return {
    ok: true,
    host: row,
    target: { address: host.address, port: host.sshPort, user: host.username, credential, hostKeyFingerprint: host.hostKeyFingerprint },
  };
}
