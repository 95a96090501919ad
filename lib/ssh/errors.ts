// Every way an SSH operation can fail, as plain values. Callers switch on `kind`; `message` is for
// humans (run logs, the audit trail, the UI) and never needs the other fields to make sense.

export type SshError =
  | { kind: "unreachable"; message: string; host: string; cause: "refused" | "no-route" | "timeout" | "dns" | "other" }
  | { kind: "auth-failed"; message: string; host: string; user: string }
  | { kind: "host-key-mismatch"; message: string; host: string; expected: string; got: string }
  | { kind: "host-key-unknown"; message: string; host: string; got: string }
  | { kind: "command-timeout"; message: string; host: string; timeoutMs: number }
  | { kind: "cancelled"; message: string; host: string }
  | { kind: "command-not-found"; message: string; host: string; command: string }
  | { kind: "non-zero-exit"; message: string; host: string; exitCode: number | null; signal: string | null }
  | { kind: "connection-lost"; message: string; host: string }
  | { kind: "channel-refused"; message: string; host: string }
  | { kind: "invalid-command"; message: string; host: string };

export type SshErrorKind = SshError["kind"];

export const sshErrors = {
  unreachable(host: string, cause: Extract<SshError, { kind: "unreachable" }>["cause"], detail: string): SshError {
    const why = {
      refused: "the connection was refused (is sshd running on that port?)",
      "no-route": "there is no route to it",
      timeout: "it did not answer in time",
      dns: "its name could not be resolved",
      other: detail,
    }[cause];
    return { kind: "unreachable", host, cause, message: `Cannot reach ${host}: ${why}.` };
  },
  authFailed(host: string, user: string, detail?: string): SshError {
    const base = `${host} refused the credential for user "${user}"`;
    return { kind: "auth-failed", host, user, message: detail ? `${base}: ${detail}.` : `${base}.` };
  },
  hostKeyMismatch(host: string, expected: string, got: string): SshError {
    return {
      kind: "host-key-mismatch",
      host,
      expected,
      got,
      message: `${host} presented host key ${got}, but ${expected} is pinned. Refusing to connect: the host was reinstalled or someone is in the middle.`,
    };
  },
  hostKeyUnknown(host: string, got: string): SshError {
    return {
      kind: "host-key-unknown",
      host,
      got,
      message: `${host} presented host key ${got}, which nobody has trusted yet. Verify it out of band and trust it first.`,
    };
  },
  commandTimeout(host: string, timeoutMs: number): SshError {
    return { kind: "command-timeout", host, timeoutMs, message: `The command on ${host} did not finish within ${timeoutMs} ms and was killed.` };
  },
  cancelled(host: string): SshError {
    return { kind: "cancelled", host, message: `The command on ${host} was cancelled and killed.` };
  },
  commandNotFound(host: string, command: string): SshError {
    return { kind: "command-not-found", host, command, message: `"${command}" was not found on ${host} (exit 127).` };
  },
  nonZeroExit(host: string, exitCode: number | null, signal: string | null): SshError {
    const how = signal ? `was killed by signal ${signal}` : `exited with status ${exitCode}`;
    return { kind: "non-zero-exit", host, exitCode, signal, message: `The command on ${host} ${how}.` };
  },
  connectionLost(host: string, detail: string): SshError {
    return {
      kind: "connection-lost",
      host,
      message: `The connection to ${host} dropped while the command was running (${detail}); its outcome is unknown.`,
    };
  },
  channelRefused(host: string, detail: string): SshError {
    return {
      kind: "channel-refused",
      host,
      message: `${host} refused to open another session on the connection (${detail}); its MaxSessions may be lower than the pool's channel limit.`,
    };
  },
  invalidCommand(host: string, detail: string): SshError {
    return { kind: "invalid-command", host, message: `Refusing to send the command to ${host}: ${detail}.` };
  },
} as const;
