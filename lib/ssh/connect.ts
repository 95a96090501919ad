import { Client, type ConnectConfig } from "ssh2";
import { sshErrors, type SshError } from "./errors";
import { sha256Fingerprint } from "./fingerprint";
import { hostLabel, type SshTarget } from "./target";

export type ConnectOptions = {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
};

export type ConnectResult = { ok: true; client: Client } | { ok: false; error: SshError };

type ErrorWithLevel = Error & { level?: string; code?: string };

// Opens one authenticated ssh2 connection. The host key is checked before any credential is sent:
// a key that differs from the pinned one, or any key when none is pinned, aborts the handshake.
export function openConnection(target: SshTarget, options: ConnectOptions): Promise<ConnectResult> {
  const host = hostLabel(target);
  return new Promise((resolve) => {
    const client = new Client();
    let settled = false;
    let hostKeyError: SshError | null = null;

    const settle = (result: ConnectResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) client.end();
      resolve(result);
    };

    client.once("ready", () => settle({ ok: true, client }));
    client.on("error", (err: ErrorWithLevel) => {
      if (settled) return;
      settle({ ok: false, error: hostKeyError ?? classifyConnectError(err, target) });
    });
    client.once("close", () => {
      if (!settled) settle({ ok: false, error: hostKeyError ?? sshErrors.unreachable(host, "other", "the connection closed during login") });
    });

    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        const got = sha256Fingerprint(key);
        if (target.hostKeyFingerprint === null) hostKeyError = sshErrors.hostKeyUnknown(host, got);
        else if (got !== target.hostKeyFingerprint) hostKeyError = sshErrors.hostKeyMismatch(host, target.hostKeyFingerprint, got);
        return hostKeyError === null;
      },
      ...(target.credential.type === "private-key"
        ? { privateKey: target.credential.privateKey, passphrase: target.credential.passphrase }
        : { password: target.credential.password }),
    };

    try {
      client.connect(config);
    } catch (err) {
      // ssh2 throws synchronously when the private key cannot be parsed (e.g. wrong passphrase).
      settle({ ok: false, error: sshErrors.authFailed(host, target.user, `the private key could not be used (${(err as Error).message})`) });
      return;
    }
    // Without this, delayed ACKs add ~40 ms to every channel round trip.
    client.setNoDelay(true);
  });
}

function classifyConnectError(err: ErrorWithLevel, target: SshTarget): SshError {
  const host = hostLabel(target);
  if (err.level === "client-authentication") return sshErrors.authFailed(host, target.user);
  if (err.level === "client-timeout") return sshErrors.unreachable(host, "timeout", err.message);
  switch (err.code) {
    case "ECONNREFUSED":
      return sshErrors.unreachable(host, "refused", err.message);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return sshErrors.unreachable(host, "no-route", err.message);
    case "ETIMEDOUT":
      return sshErrors.unreachable(host, "timeout", err.message);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return sshErrors.unreachable(host, "dns", err.message);
    default:
      return sshErrors.unreachable(host, "other", err.message);
  }
}
