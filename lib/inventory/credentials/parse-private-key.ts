import { createHash } from "node:crypto";
import ssh2 from "ssh2";

const { utils } = ssh2;

export type ParsedKey = { ok: true; hint: string } | { ok: false; field: "secret" | "passphrase"; message: string };

/** Checks a private key (and its passphrase) with ssh2's own parser; returns the public key's fingerprint. */
export function parsePrivateKey(pem: string, passphrase: string | undefined): ParsedKey {
  const parsed = utils.parseKey(pem, passphrase || undefined);
  if (parsed instanceof Error) {
    const msg = parsed.message.toLowerCase();
    if (msg.includes("passphrase") || msg.includes("decrypt") || msg.includes("encrypted")) {
      return { ok: false, field: "passphrase", message: passphrase ? "this passphrase does not open the key" : "this key is encrypted: give its passphrase" };
    }
    return { ok: false, field: "secret", message: "not a private key ssh2 can read (paste the whole OpenSSH or PEM key)" };
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) return { ok: false, field: "secret", message: "this is a public key; paste the private key" };
  const fingerprint = "SHA256:" + createHash("sha256").update(key.getPublicSSH()).digest("base64").replace(/=+$/, "");
  return { ok: true, hint: `${key.type} ${fingerprint}` };
}
