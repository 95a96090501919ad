// Seed 004 §2 (and §3.2's log shipping beside streaming): the primary's archive_command copies every
// finished WAL segment to the standby's host with scp, using a key pair Keel provisions (the private
// key is a credential, installed on the primary's host; its public half is authorised on the
// standby's host); archive_timeout forces a segment switch; the standby restores with restore_command
// and prunes with archive_cleanup_command. Verified: a switched segment is archived, arrives, and the
// standby keeps recovering.
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { confString, walNames } from "../config-gen";
import {
  archiveDirField,
  factsQuery,
  failure,
  jsonLine,
  majorField,
  majorOf,
  nodeField,
  pgCtl,
  POLL_MS,
  psql,
  replicationUserField,
  serverFacts,
  tool,
  majorFromInventory,
} from "./shared";
import { guardOf, nodeSelector, onServer, standbyConfigStep, versionCheck, waitStreamingStep } from "./steps";

export const warmStandbyParameters = z.object({
  major: majorField,
  primary: nodeField("Primary", "host:port of the primary whose WAL is shipped"),
  standby: nodeField("Standby", "host:port of the standby that restores it"),
  archiveDir: archiveDirField,
  standbyAccount: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a login name").meta({ label: "Standby host account", help: "The OS account scp logs in as on the standby's host (the one its PostgreSQL runs as)" }),
  sshPort: z.number().int().min(1).max(65535).default(22).meta({ label: "Standby host SSH port", help: "Where scp reaches the standby's host" }),
  keyCredential: z.string().min(1).meta({ label: "WAL shipping key (credential)", help: "A private-key credential for this purpose only: installed on the primary's host, its public half authorised on the standby's host" }),
  archiveTimeout: z.number().int().min(0).max(3600).default(30).meta({ label: "archive_timeout (s)", help: "Forces a WAL segment switch so at most this much is unshipped (seed: 30); 0 disables" }),
  keepStreaming: z.boolean().default(true).meta({ label: "Keep streaming", help: "Set: log shipping beside streaming (seed §3.2). Clear: a warm standby that only restores archived WAL (seed §2)" }),
  replicationUser: replicationUserField,
  hostKeys: z
    .record(z.string(), z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/))
    .default({})
    .meta({ label: "Pinned host keys", help: "Keel's pinned SSH host key of each host (from the inventory): the standby's is the only one WAL shipping will accept" }),
});

type Params = z.output<typeof warmStandbyParameters>;
const P = (p: Params) => p.primary;
const SB = (p: Params) => p.standby;
const KEY = "$HOME/.ssh/keel_wal_key";

// The private key arrives on stdin (multi-line, up to its END line); ssh refuses keys others can read.
const INSTALL_KEY = 'set -e; umask 077; mkdir -p "$HOME/.ssh"; sed "/-----END .*PRIVATE KEY-----/q" > "$HOME/.ssh/keel_wal_key.new"; mv "$HOME/.ssh/keel_wal_key.new" "$HOME/.ssh/keel_wal_key"; ssh-keygen -y -f "$HOME/.ssh/keel_wal_key" > /dev/null';
// The public half is derived on the standby's host from the same credential; the private key is removed at once.
const AUTHORIZE_KEY =
  'set -e; umask 077; mkdir -p "$HOME/.ssh" "$1"; t=$(mktemp); trap \'rm -f "$t"\' EXIT; sed "/-----END .*PRIVATE KEY-----/q" > "$t"; ' +
  'pub=$(ssh-keygen -y -f "$t"); touch "$HOME/.ssh/authorized_keys"; grep -qxF -- "$pub" "$HOME/.ssh/authorized_keys" || printf "%s\\n" "$pub" >> "$HOME/.ssh/authorized_keys"';

// The standby's host key, as scanned from the primary's host, is written to WAL shipping's own
// known_hosts only when it matches the fingerprint Keel pinned for that host; ssh then accepts nothing else.
const PIN_HOST_KEY =
  'set -eu; host=$1; port=$2; want=$3; keys=$(ssh-keyscan -T 10 -p "$port" "$host" 2>/dev/null || true); ' +
  'match=$(printf "%s\\n" "$keys" | while IFS= read -r line; do [ -n "$line" ] || continue; ' +
  'fp=$(printf "%s\\n" "$line" | ssh-keygen -lf - 2>/dev/null | awk \'{print $2}\'); if [ "$fp" = "$want" ]; then printf "%s\\n" "$line"; fi; done); ' +
  '[ -n "$match" ] || { echo "the host key $host:$port offers does not match the key Keel pinned ($want): not trusted" >&2; exit 1; }; ' +
  'umask 077; mkdir -p "$HOME/.ssh"; printf "%s\\n" "$match" > "$HOME/.ssh/keel_known_hosts"; echo "pinned $want for [$host]:$port"';

function sshOptions(): string[] {
  return ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=$HOME/.ssh/keel_known_hosts`];
}

/** Keel's pinned key of the standby's host, or why there is none. */
function standbyHostKey(s: { params: Params; nodes: readonly { name: string; hostName: string }[] }): { ok: true; key: string } | { ok: false; field: string; message: string } {
  const hostName = s.nodes.find((n) => n.name === s.params.standby)?.hostName;
  const key = hostName === undefined ? undefined : s.params.hostKeys[hostName];
  if (key === undefined) return { ok: false, field: "standby", message: `${s.params.standby}'s host has no pinned host key in Keel: trust it on its host page first` };
  return { ok: true, key };
}

/** archive_command: scp of %p to the standby's archive, run by the primary's server process (its $HOME). */
export function archiveCommand(p: Params, standbyAddress: string): string {
  const opts = sshOptions().map((o) => (o.includes("$HOME") ? `"${o}"` : o)).join(" ");
  return `scp -q -i "${KEY}" -P ${p.sshPort} ${opts} %p ${p.standbyAccount}@${standbyAddress}:${p.archiveDir}/%f`;
}

const archiverSchema = z.object({ archived_count: z.number(), last_archived_wal: z.string().nullable(), failed_count: z.number(), last_failed_wal: z.string().nullable(), failing: z.boolean() });

export const warmStandby = defineProcedure({
  id: "postgres.warm-standby",
  engine: "POSTGRESQL",
  fromInventory: (inventory) => ({
    ...majorFromInventory(inventory),
    hostKeys: Object.fromEntries([...inventory.hosts].flatMap(([name, facts]) => (facts.hostKeyFingerprint ? [[name, facts.hostKeyFingerprint]] : []))),
  }),
  title: "WAL shipping (warm standby)",
  description: "Ships archived WAL to the standby's host with scp and makes the standby restore it (seed 004 §2).",
  parameters: warmStandbyParameters,
  mutating: true,
  approval: "none",
  steps: [
    versionCheck<Params>("primary-version", "primary", P, "primary"),
    versionCheck<Params>("standby-version", "standby", SB, "standby"),
    {
      kind: "action",
      id: "install-key",
      title: (s) => `Install the WAL shipping key on ${s.params.primary}'s host`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, () => ["sh", "-c", INSTALL_KEY]),
      stdin: (s) => ({ credential: s.params.keyCredential }),
      idempotent: true,
      onFailure: "The credential must be an unencrypted OpenSSH private key. Nothing else changed.",
    },
    {
      kind: "action",
      id: "authorize-key",
      title: (s) => `Authorise the key for ${s.params.standbyAccount} on ${s.params.standby}'s host and create ${s.params.archiveDir}`,
      host: nodeSelector(SB),
      argv: (s) => onServer(s, "standby", s.params.standby, () => ["sh", "-c", AUTHORIZE_KEY, "sh", s.params.archiveDir]),
      stdin: (s) => ({ credential: s.params.keyCredential }),
      idempotent: true,
      onFailure: "Check the account's home and the archive directory's parent are writable; retry.",
    },
    {
      kind: "action",
      id: "pin-host-key",
      title: (s) => `Trust ${s.params.standby}'s host key for WAL shipping only as Keel pinned it`,
      host: nodeSelector(P),
      argv: (s) =>
        onServer(s, "primary", s.params.primary, () =>
          onServer(s, "standby", s.params.standby, (g) => {
            const pinned = standbyHostKey(s);
            return pinned.ok ? ["sh", "-c", PIN_HOST_KEY, "sh", g.host, String(s.params.sshPort), pinned.key] : pinned;
          }),
        ),
      idempotent: true,
      onFailure: (s) => `${s.params.standby}'s host answered with another key than the one Keel pinned, or did not answer on port ${s.params.sshPort}: check the host page (Keel refuses a changed key) before shipping WAL to it.`,
    },
    {
      kind: "precheck",
      id: "scp-reaches",
      title: (s) => `${s.params.primary}'s host reaches ${s.params.archiveDir} on ${s.params.standby}'s host with the key`,
      host: nodeSelector(P),
      argv: (s) =>
        onServer(s, "primary", s.params.primary, () =>
          onServer(s, "standby", s.params.standby, (g) => [
            "sh", "-c", 'exec ssh -i "$HOME/.ssh/keel_wal_key" -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$HOME/.ssh/keel_known_hosts" "$@"', "sh",
            "-p", String(s.params.sshPort), `${s.params.standbyAccount}@${g.host}`, "test", "-d", s.params.archiveDir, "-a", "-w", s.params.archiveDir,
          ]),
        ),
      assert: (out, s) => (out.exitCode === 0 ? { ok: true } : { ok: false, reason: `ssh ${failure(out)}: archive_command would fail the same way — check the key is authorised for ${s.params.standbyAccount} and port ${s.params.sshPort}` }),
    },
    {
      kind: "action",
      id: "archive-settings",
      title: (s) => `Set archive_mode, archive_command and archive_timeout on ${s.params.primary}`,
      host: nodeSelector(P),
      argv: (s) =>
        onServer(s, "primary", s.params.primary, (g) => {
          const b = guardOf(s, "standby", s.params.standby);
          if (!b.ok) return b;
          return psql(s.settings, g.port, [
            "ALTER SYSTEM SET archive_mode = 'on'",
            `ALTER SYSTEM SET archive_command = ${confString(archiveCommand(s.params, b.host))}`,
            `ALTER SYSTEM SET archive_timeout = ${s.params.archiveTimeout}`,
          ]);
        }),
      idempotent: true,
      onFailure: "Settings written stay in postgresql.auto.conf; ALTER SYSTEM RESET archive_command undoes one.",
    },
    {
      kind: "confirm",
      id: "approve-restart",
      title: (s) => `Approve restarting ${s.params.primary} and ${s.params.standby}`,
      text: (s) => `archive_mode takes effect only at a restart: ${s.params.primary}'s sessions are disconnected for a few seconds, then ${s.params.standby} restarts with restore_command.`,
      destructive: false,
    },
    {
      kind: "action",
      id: "restart-primary",
      title: (s) => `Restart ${s.params.primary}`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, () => pgCtl(s.settings, "restart")),
      idempotent: true,
      onFailure: (s) => `${s.params.primary} may be down: read its log and start it (pg_ctl start).`,
    },
    standbyConfigStep<Params>("standby-config", "standby", SB, (s) => {
      const g = guardOf(s, "primary", s.params.primary);
      if (!g.ok) return g;
      return {
        primary: s.params.keepStreaming ? { host: g.host, port: g.port, user: s.params.replicationUser, applicationName: s.params.standby } : null,
        slot: null,
        triggerFile: null,
        restoreCommand: `cp ${s.params.archiveDir}/%f %p`,
        archiveCleanupCommand: `${tool(s.settings, "pg_archivecleanup")} ${s.params.archiveDir} %r`,
      };
    }),
    {
      kind: "action",
      id: "restart-standby",
      title: (s) => `Restart ${s.params.standby} with restore_command`,
      host: nodeSelector(SB),
      argv: (s) => onServer(s, "standby", s.params.standby, () => pgCtl(s.settings, "restart")),
      idempotent: true,
      onFailure: (s) => `${s.params.standby} may be down: read its log and start it (pg_ctl start).`,
    },
    {
      kind: "action",
      id: "switch-wal",
      title: (s) => `Switch to a new WAL segment on ${s.params.primary} (${walNames(majorOf(s.params.major)).switchWal})`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, (g) => psql(s.settings, g.port, `SELECT ${walNames(majorOf(s.params.major)).switchWal}()`)),
      idempotent: true,
      onFailure: "Nothing changed; retry.",
    },
    {
      kind: "wait-until",
      id: "archived",
      title: (s) => `Wait until ${s.params.primary} archives to ${s.params.standby}'s host`,
      host: nodeSelector(P),
      argv: (s) =>
        onServer(s, "primary", s.params.primary, (g) =>
          psql(
            s.settings,
            g.port,
            `SELECT json_build_object('archived_count', archived_count, 'last_archived_wal', last_archived_wal, 'failed_count', failed_count, 'last_failed_wal', last_failed_wal,
  'failing', COALESCE(last_failed_time > COALESCE(last_archived_time, '-infinity'), false)) FROM pg_stat_archiver`,
          ),
        ),
      until: parsed(jsonLine(archiverSchema, "pg_stat_archiver"), (a) => {
        if (a.failing) return { ok: false, reason: `archive_command fails (last on ${a.last_failed_wal ?? "?"}): see the primary's log for scp's error` };
        return a.archived_count > 0 ? { ok: true } : { ok: false, reason: "nothing archived yet" };
      }),
      progress: (out) => {
        const a = jsonLine(archiverSchema, "pg_stat_archiver")(out);
        return a.ok ? `archived ${a.value.archived_count} (last ${a.value.last_archived_wal ?? "-"}), failed ${a.value.failed_count}` : a.reason;
      },
      timeoutMs: 5 * 60_000,
      pollMs: POLL_MS,
      onFailure: "The primary runs; only archiving fails. Fix archive_command (ALTER SYSTEM SET … ; SELECT pg_reload_conf()) — the archiver retries by itself.",
    },
    {
      kind: "verify",
      id: "arrived",
      title: (s) => `WAL files are in ${s.params.archiveDir} on ${s.params.standby}'s host`,
      host: nodeSelector(SB),
      argv: (s) => onServer(s, "standby", s.params.standby, () => ["ls", "-1", s.params.archiveDir]),
      assert: (out, s) => {
        const wal = out.stdout.split("\n").filter((l) => /^[0-9A-F]{24}$/.test(l.trim()));
        return out.exitCode === 0 && wal.length > 0 ? { ok: true } : { ok: false, reason: `no WAL segment in ${s.params.archiveDir} (${out.exitCode === 0 ? "empty" : failure(out)})` };
      },
    },
    ...[waitStreamingStep<Params>("standby-recovering", "standby", SB, { until: "replayed", timeoutMs: 5 * 60_000 })],
    {
      kind: "verify",
      id: "standby-in-recovery",
      title: (s) => `${s.params.standby} is in recovery`,
      host: nodeSelector(SB),
      argv: (s) => onServer(s, "standby", s.params.standby, (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      assert: parsed(serverFacts, (f, s) => (f.in_recovery ? { ok: true } : { ok: false, reason: `${s.params.standby} is not in recovery` })),
    },
  ],
});
