// Seed 004 §3.2 on a bare pair: primary settings (wal_level, max_wal_senders, wal_keep by version,
// hot_standby, wal_log_hints, listen_addresses), pg_hba replication entries for BOTH hosts, the
// replication role with its password from a credential, restart, a physical slot, pg_basebackup on the
// standby's host, the standby configuration of the major version, start, streaming and lag verified.
// The seed's two pg_basebackup failures (no pg_hba entry; max_wal_senders too low) are prechecks just
// before the clone.
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { confString, walKeepSetting } from "../config-gen";
import {
  bothServers,
  factsQuery,
  hbaSourcesField,
  majorField,
  majorOf,
  nodeField,
  passwordCredentialField,
  pgCtl,
  psql,
  psqlStdin,
  replicationUserField,
  serverFacts,
  slotField,
  slotFor,
  majorFromInventory,
} from "./shared";
import {
  basebackupStep,
  emptyDataDirCheck,
  guardOf,
  hostConfBlock,
  nodeSelector,
  onServer,
  pgpassStep,
  replicationConnectionCheck,
  sendersFreeCheck,
  slotStep,
  standbyConfigStep,
  streamsFrom,
  startStep,
  verifyStreamingStep,
  versionCheck,
  waitStreamingStep,
} from "./steps";

export const streamingSetupParameters = z.object({
  major: majorField,
  primary: nodeField("Primary", "host:port of the running server that stays primary"),
  standby: nodeField("Standby", "host:port of the server to build; its PGDATA must be empty"),
  replicationUser: replicationUserField,
  passwordCredential: passwordCredentialField,
  slot: slotField,
  maxWalSenders: z.number().int().min(2).max(100).default(10).meta({ label: "max_wal_senders", help: "At least 2 for pg_basebackup -X stream plus one per standby (the seed's failure: 'exceeds max_wal_senders')" }),
  walKeepMb: z.number().int().min(16).max(1_048_576).default(256).meta({ label: "WAL kept for standbys (MB)", help: "wal_keep_size from 13, wal_keep_segments (16 MB each) before" }),
  walLogHints: z.boolean().default(true).meta({
    label: "wal_log_hints = on",
    help: "Needed later to fail back with pg_rewind (unless the cluster has data checksums): pg_rewind can only find the blocks the old primary changed if hint-bit updates are WAL-logged",
  }),
  listenAddresses: z
    .string()
    .regex(/^(\*|[A-Za-z0-9.:-]+(,[A-Za-z0-9.:-]+)*)$/, "'*' or addresses separated by commas")
    .optional()
    .meta({ label: "listen_addresses", help: "Leave empty to keep the servers' own; the check fails if the primary does not listen on its inventory address" }),
  hbaSources: hbaSourcesField,
  triggerFile: z
    .string()
    .regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path")
    .optional()
    .meta({ label: "Trigger file", help: "Optional (≤ 15): promotion by creating this file, as the seed's /tmp/postgresql.trigger.5432" }),
});

type Params = z.output<typeof streamingSetupParameters>;
const P = (p: Params) => p.primary;
const SB = (p: Params) => p.standby;
const FIELDS: [string, string] = ["primary", "standby"];

function standbyHost(s: { params: Params; nodes: readonly { name: string; hostAddress: string }[] }): string {
  return s.params.standby.split(":")[0] ?? s.params.standby;
}

export const slotOf = (s: { params: Params; nodes: readonly { name: string; hostAddress: string }[] }) => slotFor(s.params.slot, standbyHost(s));

/** The ALTER SYSTEM statements, one transaction each. */
export function primarySettings(params: Params): string[] {
  const major = majorOf(params.major);
  const keep = walKeepSetting(major, params.walKeepMb);
  const set = (name: string, value: string) => `ALTER SYSTEM SET ${name} = ${confString(value)}`;
  return [
    set("wal_level", "replica"),
    set("max_wal_senders", String(params.maxWalSenders)),
    set("max_replication_slots", String(Math.max(params.maxWalSenders, 4))),
    set(keep.name, keep.value),
    set("hot_standby", "on"),
    ...(params.walLogHints ? [set("wal_log_hints", "on")] : []),
    ...(params.listenAddresses !== undefined ? [set("listen_addresses", params.listenAddresses)] : []),
  ];
}

/** pg_hba.conf lines: both hosts (roles swap on fail-over), plus the extra sources. */
export function hbaLines(params: Params, addresses: readonly string[]): string[] {
  const sources = [...new Set([...addresses.map((a) => `${a}/32`), ...params.hbaSources])];
  return sources.map((src) => `host replication ${params.replicationUser} ${src} md5`);
}

// Appends each line unless pg_hba.conf already has it; lines are validated by the schema.
const HBA_SCRIPT = 'set -e; f="$PGDATA/pg_hba.conf"; for line in "$@"; do grep -qxF -- "$line" "$f" || printf "%s\\n" "$line" >> "$f"; done';

// The password is read from stdin and never reaches argv or the server log (logging off for this session).
const ROLE_SCRIPT =
  'set -e; IFS= read -r PW; q=$(printf "%s" "$PW" | sed "s/\'/\'\'/g"); role="$1"; shift; ' +
  '{ cat; printf "%s\\n" "SET log_statement = \'none\';" "SET log_min_error_statement = \'panic\';" "ALTER ROLE $role WITH REPLICATION LOGIN PASSWORD \'$q\';"; } | "$@"';

export function roleSql(params: Params): string {
  const major = majorOf(params.major);
  const r = params.replicationUser;
  // From 11, pg_rewind runs as a non-superuser with these grants: the fail-back uses the replication role.
  const grants =
    major.num >= 110000
      ? [
          `GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO ${r};`,
          `GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO ${r};`,
          `GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO ${r};`,
          `GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO ${r};`,
        ]
      : [];
  return [`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${r}') THEN CREATE ROLE ${r} WITH REPLICATION LOGIN; END IF; END $$;`, ...grants].join("\n") + "\n";
}

export const streamingSetup = defineProcedure({
  id: "postgres.streaming-setup",
  engine: "POSTGRESQL",
  fromInventory: majorFromInventory,
  title: "Streaming replication set-up",
  description: "Turns a running server and an empty one into a primary with a streaming hot standby (seed 004 §3.2).",
  parameters: streamingSetupParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    versionCheck<Params>("primary-version", "primary", P, "primary"),
    emptyDataDirCheck<Params>("standby-empty", "standby", SB),
    {
      kind: "precheck",
      id: "listening",
      title: (s) => `${s.params.primary} listens on its own address`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      assert: parsed(serverFacts, (f, s) => {
        const g = guardOf(s, "primary", s.params.primary);
        const wanted = s.params.listenAddresses ?? f.listen_addresses;
        const list = wanted.split(",").map((x) => x.trim());
        if (!g.ok || list.includes("*") || list.includes(g.host)) return { ok: true };
        return { ok: false, reason: `listen_addresses is '${f.listen_addresses}', so the standby cannot connect to ${s.params.primary}: set listen_addresses (e.g. '*' or '${g.host}') in this procedure's parameters` };
      }),
    },
    {
      kind: "confirm",
      id: "approve-restart",
      title: (s) => `Approve restarting ${s.params.primary}`,
      text: (s) => `${s.params.primary} is restarted once for wal_level, max_wal_senders and wal_log_hints: its sessions are disconnected for a few seconds.`,
      destructive: false,
    },
    {
      kind: "action",
      id: "settings",
      title: (s) => `Set the replication settings on ${s.params.primary} (ALTER SYSTEM)`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, (g) => psql(s.settings, g.port, primarySettings(s.params))),
      idempotent: true,
      onFailure: "Settings already written stay in postgresql.auto.conf and take effect at the restart; fix the error and retry (ALTER SYSTEM RESET name undoes one).",
    },
    {
      kind: "action",
      id: "hba",
      title: (s) => `Allow replication from both hosts in ${s.params.primary}'s pg_hba.conf`,
      host: nodeSelector(P),
      argv: (s) => {
        const both = bothServers(s.nodes, s.settings, ["primary", s.params.primary], ["standby", s.params.standby]);
        return both.ok ? ["sh", "-c", HBA_SCRIPT, "sh", ...hbaLines(s.params, [both.a.host, both.b.host])] : both;
      },
      idempotent: true,
      onFailure: "Lines already appended stay (they only allow the replication role from these addresses). Check $PGDATA/pg_hba.conf is writable and retry.",
    },
    {
      kind: "action",
      id: "role",
      title: (s) => `Create the replication role ${s.params.replicationUser} with its password`,
      host: nodeSelector(P),
      argv: (s) =>
        onServer(s, "primary", s.params.primary, (g) => {
          const base = psqlStdin(s.settings, g.port);
          return base.ok ? ["sh", "-c", ROLE_SCRIPT, "sh", s.params.replicationUser, ...base.argv] : base;
        }),
      stdin: (s) => ({ credential: s.params.passwordCredential, text: roleSql(s.params) }),
      idempotent: true,
      onFailure: "Check the credential and that psql connects locally as a superuser; retry.",
    },
    {
      kind: "action",
      id: "restart",
      title: (s) => `Restart ${s.params.primary}`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, () => pgCtl(s.settings, "restart")),
      idempotent: true,
      onFailure: (s) => `${s.params.primary} may be down: read postgresql.log beside its PGDATA, fix the setting it names (ALTER SYSTEM RESET), and start it with pg_ctl start.`,
    },
    {
      kind: "verify",
      id: "settings-applied",
      title: (s) => `${s.params.primary} runs with the replication settings`,
      host: nodeSelector(P),
      argv: (s) => onServer(s, "primary", s.params.primary, (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      assert: parsed(serverFacts, (f, s) => {
        const wrong = [
          ...(f.wal_level === "replica" || f.wal_level === "logical" || f.wal_level === "hot_standby" ? [] : [`wal_level ${f.wal_level}`]),
          ...(f.max_wal_senders >= s.params.maxWalSenders ? [] : [`max_wal_senders ${f.max_wal_senders}`]),
          ...(!s.params.walLogHints || f.wal_log_hints === "on" ? [] : [`wal_log_hints ${f.wal_log_hints}`]),
          ...f.pending_restart.map((n) => `${n} pending restart`),
        ];
        return wrong.length === 0 ? { ok: true } : { ok: false, reason: `not in effect: ${wrong.join(", ")}` };
      }),
    },
    slotStep<Params>("slot", "primary", P, slotOf),
    pgpassStep<Params>("pgpass-standby", "standby", SB),
    pgpassStep<Params>("pgpass-primary", "primary", P),
    sendersFreeCheck<Params>("senders-free", "primary", P, 2),
    replicationConnectionCheck<Params>("replication-connection", FIELDS, P, SB),
    basebackupStep<Params>("basebackup", FIELDS, P, SB, slotOf),
    hostConfBlock<Params>(forEach, "host-conf", "standby", SB),
    standbyConfigStep<Params>("standby-config", "standby", SB, streamsFrom<Params>("primary", P, SB, slotOf)),
    startStep<Params>("start-standby", "standby", SB),
    waitStreamingStep<Params>("streaming", "standby", SB, { until: "caught-up", timeoutMs: 10 * 60_000 }),
    verifyStreamingStep<Params>("primary-streams", "primary", P, slotOf),
  ],
});

