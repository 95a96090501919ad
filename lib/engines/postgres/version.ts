// PostgreSQL major versions and the names that changed with them (10 renamed xlog → wal and
// location → lsn; 10 added the pg_stat_replication lag columns; 13 renamed received_lsn).
import { z } from "zod";

export type PgMajor = { text: string; /** server_version_num of the major's first release, e.g. 90600, 150000. */ num: number };

const majorSchema = z
  .string()
  .trim()
  .regex(/^(?:9\.[0-6]|[1-9][0-9])(?:\.\d+)?$/, "a PostgreSQL major version such as 9.6, 11 or 15");

/** "9.6" / "9.6.24" → 9.6; "15" / "15.4" → 15. Errors as values. */
export function parseMajor(text: string): { ok: true; value: PgMajor } | { ok: false; message: string } {
  const parsed = majorSchema.safeParse(text);
  if (!parsed.success) return { ok: false, message: `version '${text}': ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const parts = parsed.data.split(".").map(Number);
  const [first = 0, second = 0] = parts;
  return first >= 10
    ? { ok: true, value: { text: String(first), num: first * 10000 } }
    : { ok: true, value: { text: `${first}.${second}`, num: first * 10000 + second * 100 } };
}

/** The major of a server_version_num (90624 → 90600, 150004 → 150000). */
export function majorOfVersionNum(num: number): number {
  return num >= 100000 ? Math.floor(num / 10000) * 10000 : Math.floor(num / 100) * 100;
}

export type PgNames = {
  currentLsn: string;
  receiveLsn: string;
  replayLsn: string;
  lsnDiff: string;
  /** LSN → WAL file name, whose first 8 hex digits are the timeline the LSN belongs to. */
  walFileName: string;
  /** pg_stat_replication columns. */
  sent: string;
  write: string;
  flush: string;
  replay: string;
  /** pg_stat_replication.replay_lag (an interval), 10+. */
  hasLagColumns: boolean;
  /** pg_control_checkpoint() and pg_stat_wal_receiver, 9.6+. */
  hasControlCheckpoint: boolean;
  hasWalReceiver: boolean;
  /** pg_stat_wal_receiver's flushed position: received_lsn before 13, flushed_lsn from 13. */
  receiverFlushed: string;
  /** pg_stat_wal_receiver.sender_host / sender_port, 11+. */
  hasSenderHost: boolean;
};

export function pgNames(major: PgMajor): PgNames {
  const wal = major.num >= 100000;
  return {
    currentLsn: wal ? "pg_current_wal_lsn" : "pg_current_xlog_location",
    receiveLsn: wal ? "pg_last_wal_receive_lsn" : "pg_last_xlog_receive_location",
    replayLsn: wal ? "pg_last_wal_replay_lsn" : "pg_last_xlog_replay_location",
    lsnDiff: wal ? "pg_wal_lsn_diff" : "pg_xlog_location_diff",
    walFileName: wal ? "pg_walfile_name" : "pg_xlogfile_name",
    sent: wal ? "sent_lsn" : "sent_location",
    write: wal ? "write_lsn" : "write_location",
    flush: wal ? "flush_lsn" : "flush_location",
    replay: wal ? "replay_lsn" : "replay_location",
    hasLagColumns: wal,
    hasControlCheckpoint: major.num >= 90600,
    hasWalReceiver: major.num >= 90600,
    receiverFlushed: major.num >= 130000 ? "flushed_lsn" : "received_lsn",
    hasSenderHost: major.num >= 110000,
  };
}
