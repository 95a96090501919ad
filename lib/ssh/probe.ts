import { Client } from "ssh2";
import { sshErrors, type SshError } from "./errors";
import { keyTypeOfBlob, sha256Fingerprint } from "./fingerprint";

export type ProbedHostKey = { keyType: string; fingerprint: string; publicKeyBase64: string };
export type ProbeResult = { ok: true; hostKey: ProbedHostKey } | { ok: false; error: SshError };

// First-contact step: learn which key a host presents without sending any credential. The
// handshake is aborted as soon as the key is seen; a human then decides whether to pin it.
export function probeHostKey(address: string, port: number, options: { timeoutMs?: number } = {}): Promise<ProbeResult> {
  const host = `${address}:${port}`;
  return new Promise((resolve) => {
    const client = new Client();
    let settled = false;
    const settle = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      client.end();
      resolve(result);
    };
    client.on("error", (err: Error & { code?: string; level?: string }) => {
      if (settled) return;
      if (err.level === "client-timeout") return settle({ ok: false, error: sshErrors.unreachable(host, "timeout", err.message) });
      const cause = err.code === "ECONNREFUSED" ? "refused" : err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH" ? "no-route" : err.code === "ETIMEDOUT" ? "timeout" : "other";
      settle({ ok: false, error: sshErrors.unreachable(host, cause, err.message) });
    });
    client.on("close", () => settle({ ok: false, error: sshErrors.unreachable(host, "other", "closed before presenting a host key") }));
    client.connect({
      host: address,
      port,
      username: "keel-probe",
      readyTimeout: options.timeoutMs ?? 10_000,
      hostVerifier: (key: Buffer) => {
        settle({ ok: true, hostKey: { keyType: keyTypeOfBlob(key), fingerprint: sha256Fingerprint(key), publicKeyBase64: key.toString("base64") } });
        return false;
      },
    });
    client.setNoDelay(true);
  });
}
