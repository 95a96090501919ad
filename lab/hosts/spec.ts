import { z } from "zod";

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// sshd_config splits SetEnv arguments itself; these characters would need escaping rules it lacks.
const envValue = /^[^"\\\n\r\0]*$/;

export const labHostSpecSchema = z.object({
  // Becomes the Unix user keel-<name> (max 32 chars) and a directory name.
  name: z.string().regex(/^[a-z][a-z0-9-]{0,25}$/, "lower-case letters, digits and dashes, starting with a letter"),
  address: z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, "only loopback 127.0.0.0/8 addresses may be used"),
  port: z.number().int().min(1).max(65535),
  env: z.record(z.string().regex(envName), z.string().regex(envValue)).default({}),
  // Opt-in deviations from the lab defaults, for tests that need a stock-like or password host.
  maxSessions: z.number().int().min(1).max(1024).default(256),
  password: z.string().min(1).regex(/^[^:\n]+$/).optional(),
});
export type LabHostSpec = z.input<typeof labHostSpecSchema>;
export type ParsedLabHostSpec = z.output<typeof labHostSpecSchema>;

export function parseLabHostSpecs(specs: readonly LabHostSpec[]): ParsedLabHostSpec[] {
  const parsed = z.array(labHostSpecSchema).parse(specs);
  const seen = new Set<string>();
  for (const s of parsed) {
    for (const key of [`name:${s.name}`, `listen:${s.address}:${s.port}`]) {
      if (seen.has(key)) throw new Error(`duplicate lab host ${key}`);
      seen.add(key);
    }
  }
  return parsed;
}

export function defaultLabHostSpecs(count: number): ParsedLabHostSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const address = `127.0.0.${11 + i}`;
    return { name: `lab${i + 1}`, address, port: 2222, env: { KEEL_LAB_HOST: address }, maxSessions: 256 };
  });
}
