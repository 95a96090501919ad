// The SQL Keel runs on each server: one statement per role, printing one line of JSON so the result is
// parsed with JSON.parse + zod instead of column splitting. Role-specific functions are guarded by
// pg_is_in_recovery() so a server in the other role than expected still answers (and is reported).
import { pgNames, type PgMajor } from "./version";

const archiver = `(SELECT json_build_object(
    'archived_count', archived_count, 'last_archived_wal', last_archived_wal, 'last_archived_time', last_archived_time,
    'failed_count', failed_count, 'last_failed_wal', last_failed_wal, 'last_failed_time', last_failed_time)
  FROM pg_stat_archiver)`;

function common(major: PgMajor): string {
  const n = pgNames(major);
  const timeline = n.hasControlCheckpoint ? "(SELECT timeline_id FROM pg_control_checkpoint())" : "NULL::int";
  return `'server_version_num', current_setting('server_version_num')::int,
  'in_recovery', pg_is_in_recovery(),
  'checkpoint_timeline', ${timeline},
  'archiver', ${archiver}`;
}

/** Primary: current LSN, pg_stat_replication rows, replication slots, archiver. */
export function primaryQuery(major: PgMajor): string {
  const n = pgNames(major);
  const current = `CASE WHEN pg_is_in_recovery() THEN NULL ELSE ${n.currentLsn}() END`;
  const lagSeconds = n.hasLagColumns ? "EXTRACT(EPOCH FROM replay_lag)::float8" : "NULL::float8";
  // pg_control_checkpoint() keeps the old timeline until the (spread) end-of-recovery checkpoint after a
  // promotion finishes; the current WAL file's name carries the new one at once.
  const timeline = `('x' || substr(${n.walFileName}(${current}), 1, 8))::bit(32)::int`;
  return `SELECT json_build_object(${common(major)},
  'current_lsn', (${current})::text,
  'current_timeline', ${timeline},
  'replication', COALESCE((SELECT json_agg(json_build_object(
      'pid', pid, 'application_name', application_name, 'client_addr', host(client_addr), 'state', state,
      'sent_lsn', ${n.sent}::text, 'write_lsn', ${n.write}::text, 'flush_lsn', ${n.flush}::text, 'replay_lsn', ${n.replay}::text,
      'sync_state', sync_state,
      'replay_lag_bytes', ${n.lsnDiff}(${current}, ${n.replay})::float8,
      'replay_lag_seconds', ${lagSeconds}
    ) ORDER BY application_name, client_addr) FROM pg_stat_replication), '[]'::json),
  'slots', COALESCE((SELECT json_agg(json_build_object(
      'slot_name', slot_name, 'slot_type', slot_type, 'active', active, 'restart_lsn', restart_lsn::text,
      'retained_bytes', ${n.lsnDiff}(${current}, restart_lsn)::float8
    ) ORDER BY slot_name) FROM pg_replication_slots), '[]'::json)
)`;
}

/**
 * Standby: receive/replay LSN and lag. Lag in seconds is 0 when everything received is replayed: the
 * seed's now() - pg_last_xact_replay_timestamp() alone grows on an idle primary although nothing is behind.
 */
export function standbyQuery(major: PgMajor): string {
  const n = pgNames(major);
  const receive = `${n.receiveLsn}()`;
  const replay = `${n.replayLsn}()`;
  const receiver = n.hasWalReceiver
    ? `(SELECT json_build_object('status', status, 'received_tli', received_tli, 'flushed_lsn', ${n.receiverFlushed}::text,
        'latest_end_lsn', latest_end_lsn::text, 'last_msg_receipt_time', last_msg_receipt_time,
        'sender_host', ${n.hasSenderHost ? "sender_host" : "NULL::text"}, 'sender_port', ${n.hasSenderHost ? "sender_port" : "NULL::int"})
      FROM pg_stat_wal_receiver)`
    : "NULL::json";
  return `SELECT json_build_object(${common(major)},
  'receive_lsn', ${receive}::text,
  'replay_lsn', ${replay}::text,
  'replay_lag_bytes', ${n.lsnDiff}(${receive}, ${replay})::float8,
  'last_replay_time', pg_last_xact_replay_timestamp(),
  'replay_lag_seconds', CASE
      WHEN NOT pg_is_in_recovery() THEN NULL
      WHEN ${receive} IS NOT DISTINCT FROM ${replay} THEN 0
      ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END,
  'wal_receiver', ${receiver}
)`;
}
