import { readFile, writeFile } from "node:fs/promises";
import { fingerprintOfPublicKeyLine } from "@/lib/ssh";
import type { LabEstate, LabHostSpec } from "@/lab/hosts";

// Kept clear of the addresses and ports other tests and sessions use (see lab/hosts/README.md).
const firstOctet = 61;
const lastOctet = 90;
export const benchPort = 2400;
export const hostEnvVar = "KEEL_LAB_HOST";

export function benchHostSpecs(count: number): LabHostSpec[] {
  const max = lastOctet - firstOctet + 1;
  if (!Number.isInteger(count) || count < 1 || count > max) throw new Error(`BENCH_HOSTS must be 1..${max}`);
  return Array.from({ length: count }, (_, i) => {
    const address = `127.0.0.${firstOctet + i}`;
    return { name: `bf${String(i + 1).padStart(2, "0")}`, address, port: benchPort, env: { [hostEnvVar]: address } };
  });
}

// What a correct answer from each host looks like: its own address, so an answer cannot come from
// the wrong host or be duplicated unnoticed.
export function expectedAnswers(estate: LabEstate): Map<string, string> {
  return new Map(estate.hosts.map((h) => [h.name, h.address]));
}

// Real host-key checking for the OpenSSH-based peers: a known_hosts built from each host's public
// key, each checked against the fingerprint the estate recorded.
export async function writeKnownHosts(estate: LabEstate, file: string): Promise<void> {
  const lines: string[] = [];
  for (const host of estate.hosts) {
    const keyLine = (await readFile(`${host.hostKeyPath}.pub`, "utf8")).trim();
    const fingerprint = fingerprintOfPublicKeyLine(keyLine);
    if (fingerprint !== host.hostKeyFingerprint) throw new Error(`${host.name}: host key ${fingerprint} is not the recorded ${host.hostKeyFingerprint}`);
    const [type, blob] = keyLine.split(/\s+/);
    lines.push(`[${host.address}]:${host.port} ${type} ${blob}`);
  }
  await writeFile(file, lines.join("\n") + "\n", { mode: 0o644 });
}
