export type SshdConfigInput = {
  address: string;
  port: number;
  hostKeyPath: string;
  pidFile: string;
  user: string;
  env: Record<string, string>;
  maxSessions: number;
  passwordAuthentication: boolean;
};

// OpenSSH 9.2 (Debian 12) semantics this relies on:
// - SetEnv (since 8.7) is applied after sshd's own defaults, so it also overrides PATH; only the
//   FIRST SetEnv line counts, hence one line carrying every variable.
// - UsePAM no: no pam_env/pam_motd cost; sshd then refuses "!"-locked accounts (users get "*").
// - StrictModes no: keys may live under directories with group/world permissions.
// - MaxSessions/MaxStartups raised: defaults (10, 10:30:100) break 50 parallel channels/connections.
export function renderSshdConfig(input: SshdConfigInput): string {
  const setEnv = Object.entries(input.env)
    .map(([k, v]) => `"${k}=${v}"`)
    .join(" ");
  return [
    `ListenAddress ${input.address}:${input.port}`,
    `HostKey ${input.hostKeyPath}`,
    `PidFile ${input.pidFile}`,
    `AuthorizedKeysFile %h/.ssh/authorized_keys`,
    `AllowUsers ${input.user}`,
    `PermitRootLogin no`,
    `PubkeyAuthentication yes`,
    `PasswordAuthentication ${input.passwordAuthentication ? "yes" : "no"}`,
    `KbdInteractiveAuthentication no`,
    `UsePAM no`,
    `StrictModes no`,
    `UseDNS no`,
    `PrintMotd no`,
    `PrintLastLog no`,
    `PermitUserEnvironment no`,
    `X11Forwarding no`,
    `AllowTcpForwarding no`,
    `MaxSessions ${input.maxSessions}`,
    `MaxStartups 256:30:512`,
    `LoginGraceTime 30`,
    `LogLevel VERBOSE`,
    `Subsystem sftp internal-sftp`,
    setEnv ? `SetEnv ${setEnv}` : "",
    "",
  ]
    .filter((line, i, all) => line !== "" || i === all.length - 1)
    .join("\n");
}
