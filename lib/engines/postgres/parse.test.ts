import { describe, expect, it } from "vitest";
import { psqlArgv } from "./commands";
import { archiverFailing, parsePrimaryState, parseStandbyState } from "./parse";

// What psql -A -t prints for the 9.6 standby query (no replay_lag columns, received_lsn as flushed).
const STANDBY_96 =
  '{"server_version_num" : 90624, "in_recovery" : true, "checkpoint_timeline" : 2, "archiver" : {"archived_count" : 0, "last_archived_wal" : null, "last_archived_time" : null, "failed_count" : 3, "last_failed_wal" : "000000020000000000000005", "last_failed_time" : "2026-11-23T10:00:00.1+00:00"}, "receive_lsn" : "0/5000140", "replay_lsn" : "0/5000140", "replay_lag_bytes" : 0, "last_replay_time" : "2026-11-23T09:59:00+00:00", "replay_lag_seconds" : 0, "wal_receiver" : {"status" : "streaming", "received_tli" : 2, "flushed_lsn" : "0/5000140", "latest_end_lsn" : "0/5000140", "last_msg_receipt_time" : "2026-11-23T10:00:01+00:00", "sender_host" : null, "sender_port" : null}}\n';

const PRIMARY_96 =
  '{"server_version_num" : 90624, "in_recovery" : false, "checkpoint_timeline" : 1, "archiver" : null, "current_lsn" : "0/3000060", "current_timeline" : 1, "replication" : [{"pid" : 77, "application_name" : "walreceiver", "client_addr" : "10.0.0.6", "state" : "streaming", "sent_lsn" : "0/3000060", "write_lsn" : "0/3000060", "flush_lsn" : "0/3000060", "replay_lsn" : "0/3000000", "sync_state" : "async", "replay_lag_bytes" : 96, "replay_lag_seconds" : null}], "slots" : []}';

describe("parse", () => {
  it("reads a 9.6 standby's line", () => {
    const r = parseStandbyState(STANDBY_96);
    expect(r.ok && r.value).toMatchObject({ in_recovery: true, checkpoint_timeline: 2, wal_receiver: { status: "streaming", received_tli: 2 } });
    expect(r.ok && archiverFailing(r.value.archiver)).toBe(true);
  });
  it("reads a primary's line with null lag seconds (9.6 has no replay_lag)", () => {
    const r = parsePrimaryState(PRIMARY_96);
    expect(r.ok && r.value.replication[0]).toMatchObject({ replay_lag_bytes: 96, replay_lag_seconds: null });
  });
  it("garbled output is an error naming the line, never a throw", () => {
    const notJson = parsePrimaryState("\nFATAL:  terminating connection\n");
    expect(notJson).toMatchObject({ ok: false, error: { lineNumber: 2, line: "FATAL:  terminating connection" } });
    const wrongShape = parsePrimaryState('{"server_version_num": "x"}');
    expect(wrongShape).toMatchObject({ ok: false, error: { lineNumber: 1, message: expect.stringContaining("server_version_num") } });
    const badLsn = parseStandbyState(STANDBY_96.replace('"receive_lsn" : "0/5000140"', '"receive_lsn" : "zz"'));
    expect(badLsn).toMatchObject({ ok: false, error: { message: expect.stringContaining("receive_lsn") } });
    expect(parseStandbyState("")).toMatchObject({ ok: false, error: { message: "psql printed nothing" } });
    expect(parsePrimaryState(`${PRIMARY_96}\nextra`)).toMatchObject({ ok: false, error: { lineNumber: 2, line: "extra" } });
  });
  it("an archiver whose last success is newer than its last failure is not failing", () => {
    expect(archiverFailing({ archived_count: 1, last_archived_wal: "a", last_archived_time: "2026-11-23T11:00:00Z", failed_count: 1, last_failed_wal: "a", last_failed_time: "2026-11-23T10:00:00Z" })).toBe(false);
  });
});

describe("psqlArgv", () => {
  it("is an argv (no shell), from PGBIN when given", () => {
    expect(psqlArgv({ host: "10.0.0.5", port: 5432, pgbin: "/usr/pgsql-9.6/bin" }, "SELECT 1")).toEqual({
      ok: true,
      argv: ["/usr/pgsql-9.6/bin/psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "10.0.0.5", "-p", "5432", "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"],
    });
  });
  it("refuses values that are not a host, a role or a plain path", () => {
    expect(psqlArgv({ host: "-oProxyCommand=x", port: 5432 }, "SELECT 1").ok).toBe(false);
    expect(psqlArgv({ host: "h", port: 5432, user: "a b" }, "SELECT 1").ok).toBe(false);
    expect(psqlArgv({ host: "h", port: 5432, pgbin: "/opt/../bin" }, "SELECT 1").ok).toBe(false);
    expect(psqlArgv({ host: "h", port: 70000 }, "SELECT 1").ok).toBe(false);
  });
});
