import { createHash } from "node:crypto";

// The host key fingerprint exactly as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64 of
// the SHA-256 of the raw public key blob (the bytes inside the base64 of a .pub line).
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

// "ssh-ed25519 AAAA... comment" → fingerprint of the blob.
export function fingerprintOfPublicKeyLine(line: string): string {
  const blob = line.trim().split(/\s+/)[1];
  if (!blob) throw new Error("not an OpenSSH public key line");
  return sha256Fingerprint(Buffer.from(blob, "base64"));
}

// The key type is the first length-prefixed string of the blob (e.g. "ssh-ed25519").
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString("latin1");
}

const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;
export function isSha256Fingerprint(value: string): boolean {
  return fingerprintPattern.test(value);
}
