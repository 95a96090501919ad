// Version-aware replication configuration: what a standby needs and how a server is promoted, for the
// recovery.conf era (≤ 11; xlog names in 9.6) and the standby.signal era (12+; promote_trigger_file
// only until 15). Pure: every value is validated here, and the text returned is what gets written.
import { z } from "zod";

import { psqlArgv } from "./commands";
import type { PgMajor } from "./version";

export const hostSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a host name or IPv4 address");
export const roleNameSchema = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case role name such as replicator");
export const slotNameSchema = z.string().regex(/^[a-z0-9_]{1,63}$/, "lower-case letters, digits and _ (at most 63)");
export const absolutePathSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9._\/-]*$/, "an absolute path of plain characters")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'");
export const applicationNameSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,63}$/, "letters, digits and . _ : -");

export type Era = "recovery.conf" | "standby.signal";

/** ≤ 11 reads recovery.conf; 12 moved every recovery setting into postgresql.conf plus standby.signal. */
export function configEra(major: PgMajor): Era {
  return major.num < 120000 ? "recovery.conf" : "standby.signal";
}

/** The names 10 changed (xlog → wal): the WAL directory, the switch function, pg_basebackup's WAL flag. */
export function walNames(major: PgMajor): { walDir: string; switchWal: string; basebackupWalFlag: string } {
  const wal = major.num >= 100000;
  return {
    walDir: wal ? "pg_wal" : "pg_xlog",
    switchWal: wal ? "pg_switch_wal" : "pg_switch_xlog",
    basebackupWalFlag: wal ? "--wal-method=stream" : "--xlog-method=stream",
  };
}

/** A string in postgresql.conf / recovery.conf syntax. */
export function confString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

export type ConnInfo = { host: string; port: number; user: string; applicationName?: string };

/**
 * primary_conninfo without a password: the walreceiver (like pg_basebackup and pg_rewind) takes it from
 * the server account's ~/.pgpass, which Keel writes from the credential. The seed's
 * `password=postgres` in the conninfo would put the secret in a config file copied by every base backup.
 */
export function conninfo(c: ConnInfo): string {
  const host = hostSchema.parse(c.host);
  const user = roleNameSchema.parse(c.user);
  const app = c.applicationName === undefined ? [] : [`application_name=${applicationNameSchema.parse(c.applicationName)}`];
  return [`host=${host}`, `port=${c.port}`, `user=${user}`, ...app].join(" ");
}

export type StandbySpec = {
  /** Streaming from this primary; null for a warm standby that only restores archived WAL. */
  primary: ConnInfo | null;
  slot: string | null;
  /** Promotion by file: trigger_file (≤ 11), promote_trigger_file (12–15); refused on 16+. */
  triggerFile: string | null;
  restoreCommand: string | null;
  archiveCleanupCommand: string | null;
};

export type StandbyConfig =
  | { ok: true; era: "recovery.conf"; file: "recovery.conf"; text: string }
  | { ok: true; era: "standby.signal"; file: "postgresql.auto.conf"; text: string; keys: readonly string[] }
  | { ok: false; field: string; message: string };

/** The recovery settings 12+ reads from postgresql.conf that Keel sets; a rewrite replaces all of them. */
export const STANDBY_KEYS = ["primary_conninfo", "primary_slot_name", "promote_trigger_file", "restore_command", "archive_cleanup_command", "recovery_target_timeline"] as const;

export function standbyConfig(major: PgMajor, spec: StandbySpec): StandbyConfig {
  if (spec.primary === null && spec.restoreCommand === null) return { ok: false, field: "primary", message: "a standby needs a primary to stream from or a restore_command" };
  if (spec.slot !== null && !slotNameSchema.safeParse(spec.slot).success) return { ok: false, field: "slot", message: "lower-case letters, digits and _ (at most 63)" };
  if (spec.triggerFile !== null && !absolutePathSchema.safeParse(spec.triggerFile).success) return { ok: false, field: "triggerFile", message: "an absolute path of plain characters" };
  if (spec.triggerFile !== null && major.num >= 160000) {
    return { ok: false, field: "triggerFile", message: `PostgreSQL ${major.text} has no promote_trigger_file (removed in 16): promote with pg_ctl promote or pg_promote()` };
  }
  const settings: [string, string][] = [];
  if (spec.primary) settings.push(["primary_conninfo", conninfo(spec.primary)]);
  if (spec.primary && spec.slot !== null) settings.push(["primary_slot_name", spec.slot]);
  if (spec.restoreCommand !== null) settings.push(["restore_command", spec.restoreCommand]);
  if (spec.archiveCleanupCommand !== null) settings.push(["archive_cleanup_command", spec.archiveCleanupCommand]);
  const line = ([key, value]: [string, string]) => `${key} = ${confString(value)}`;
  if (configEra(major) === "recovery.conf") {
    const lines = [
      "standby_mode = 'on'",
      ...settings.map(line),
      ...(spec.triggerFile !== null ? [line(["trigger_file", spec.triggerFile])] : []),
      // ≤ 11 follows only the timeline it started on unless told: needed to follow a promoted primary.
      "recovery_target_timeline = 'latest'",
    ];
    return { ok: true, era: "recovery.conf", file: "recovery.conf", text: lines.join("\n") + "\n" };
  }
  const lines = [...settings.map(line), ...(spec.triggerFile !== null ? [line(["promote_trigger_file", spec.triggerFile])] : [])];
  return { ok: true, era: "standby.signal", file: "postgresql.auto.conf", text: lines.join("\n") + "\n", keys: STANDBY_KEYS };
}

// recovery.conf is replaced whole; postgresql.auto.conf keeps every other setting (ALTER SYSTEM's, the
// ones pg_basebackup or pg_rewind copied) with Keel's recovery keys replaced, then standby.signal.
const WRITE_RECOVERY_CONF = 'set -e; umask 077; cat > "$PGDATA/recovery.conf.keel"; mv "$PGDATA/recovery.conf.keel" "$PGDATA/recovery.conf"';
const WRITE_AUTO_CONF =
  'set -e; umask 077; f="$PGDATA/postgresql.auto.conf"; ' +
  '{ grep -v -E "^[[:space:]]*($1)[[:space:]]*=" "$f" 2>/dev/null || true; cat; } > "$f.keel"; mv "$f.keel" "$f"; : > "$PGDATA/standby.signal"';

/** The argv and stdin that write a standby's configuration into the host's $PGDATA. */
export function writeStandbyConfig(config: Extract<StandbyConfig, { ok: true }>): { argv: string[]; stdin: { text: string } } {
  if (config.era === "recovery.conf") return { argv: ["sh", "-c", WRITE_RECOVERY_CONF], stdin: { text: config.text } };
  return { argv: ["sh", "-c", WRITE_AUTO_CONF, "sh", config.keys.join("|")], stdin: { text: config.text } };
}

/** How much WAL a primary keeps for standbys: a segment count until 12, a size from 13. */
export function walKeepSetting(major: PgMajor, megabytes: number): { name: "wal_keep_segments" | "wal_keep_size"; value: string } {
  if (major.num >= 130000) return { name: "wal_keep_size", value: `${megabytes}MB` };
  return { name: "wal_keep_segments", value: String(Math.max(1, Math.ceil(megabytes / 16))) };
}

export type PromoteMethod = "pg_promote" | "pg_ctl" | "trigger-file";

/** The default: pg_promote() where it exists (12+), pg_ctl promote before. */
export function defaultPromoteMethod(major: PgMajor): PromoteMethod {
  return major.num >= 120000 ? "pg_promote" : "pg_ctl";
}

export type PromoteCommand = { ok: true; method: PromoteMethod; argv: string[]; waits: boolean } | { ok: false; field: string; message: string };

/**
 * argv that promotes the standby on its own host. `waits`: the command returns only once the server
 * accepts writes (pg_promote(true), pg_ctl promote -w from 10); otherwise a wait step must follow.
 */
export function promoteCommand(major: PgMajor, method: PromoteMethod, o: { pgbin: string; port: number; user?: string; triggerFile: string | null }): PromoteCommand {
  const bin = absolutePathSchema.parse(o.pgbin).replace(/\/+$/, "");
  switch (method) {
    case "pg_promote":
      if (major.num < 120000) return { ok: false, field: "method", message: `pg_promote() arrived in 12; PostgreSQL ${major.text} promotes with pg_ctl promote or the trigger file` };
    {
      const psql = psqlArgv({ port: o.port, user: o.user, pgbin: bin }, "SELECT pg_promote(true, 120)");
      return psql.ok ? { ok: true, method, waits: true, argv: psql.argv } : { ok: false, field: "pgbin", message: psql.message };
    }
    case "pg_ctl":
      // -w for promote arrived in 10; pg_ctl reads $PGDATA from the host's environment.
      return { ok: true, method, waits: major.num >= 100000, argv: [`${bin}/pg_ctl`, "promote", ...(major.num >= 100000 ? ["-w", "-t", "120"] : [])] };
    case "trigger-file": {
      if (major.num >= 160000) return { ok: false, field: "method", message: `PostgreSQL ${major.text} has no promote_trigger_file (removed in 16): use pg_promote() or pg_ctl promote` };
      if (o.triggerFile === null) return { ok: false, field: "triggerFile", message: "the trigger file the standby's configuration names" };
      const file = absolutePathSchema.safeParse(o.triggerFile);
      if (!file.success) return { ok: false, field: "triggerFile", message: "an absolute path of plain characters" };
      return { ok: true, method, waits: false, argv: ["touch", file.data] };
    }
  }
}
