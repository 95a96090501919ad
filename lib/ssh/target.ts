import { z } from "zod";
import { isSha256Fingerprint } from "./fingerprint";

// Credentials arrive as plain values: Keel decrypts them from its store and hands them over; this
// module never reads the environment or files for secrets.
export const sshCredentialSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("private-key"), privateKey: z.string().min(1), passphrase: z.string().optional() }),
  z.object({ type: z.literal("password"), password: z.string().min(1) }),
]);
export type SshCredential = z.infer<typeof sshCredentialSchema>;

export const sshTargetSchema = z.object({
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  credential: sshCredentialSchema,
  // null means nobody has trusted this host yet: connecting is refused with host-key-unknown.
  hostKeyFingerprint: z.string().refine(isSha256Fingerprint, "expected SHA256:<43 base64 chars>").nullable(),
});
export type SshTarget = z.infer<typeof sshTargetSchema>;

export function hostLabel(target: Pick<SshTarget, "address" | "port">): string {
  return `${target.address}:${target.port}`;
}

export function poolKey(target: Pick<SshTarget, "address" | "port" | "user">): string {
  return `${target.address}:${target.port}:${target.user}`;
}
