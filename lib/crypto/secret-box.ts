import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { credentialKey } from "@/lib/config/env";

const VERSION = "v1";

/**
 * AES-256-GCM envelope `v1.<iv>.<tag>.<ciphertext>` (base64url parts). `context` (e.g. the credential's
 * id) is bound as additional authenticated data, so a sealed value copied onto another row will not open.
 */
export function seal(plaintext: string, context: string, key: Buffer = credentialKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
}

export function open(sealed: string, context: string, key: Buffer = credentialKey()): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new SealedValueError("not a Keel sealed value");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError("sealed value cannot be opened: wrong key, wrong context or tampered");
  }
}
