import { createHash } from "node:crypto";

const EXCERPT_BYTES = 4096;

/** What the audit log keeps of a command's output: its SHA-256, its size, and a bounded excerpt. */
export function outputDigest(text: string): { sha256: string; bytes: number; excerpt: string; truncated: boolean } {
  const bytes = Buffer.byteLength(text);
  const truncated = bytes > EXCERPT_BYTES;
  return {
    sha256: createHash("sha256").update(text).digest("hex"),
    bytes,
    excerpt: truncated ? Buffer.from(text).subarray(0, EXCERPT_BYTES).toString("utf8") : text,
    truncated,
  };
}
