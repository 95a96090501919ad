import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { HashedFields } from "./types";

/** SHA-256 over the previous hash and the RFC 8785 canonical JSON of the row's fields. */
export function eventHash(prevHash: string, fields: HashedFields): string {
  const canonical = canonicalize(fields);
  if (canonical === undefined) throw new Error("audit event is not serialisable");
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}
