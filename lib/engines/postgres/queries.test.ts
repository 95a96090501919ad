// Golden checks of the SQL by major version: 9.6 must use only the xlog/location names, 10+ only the
// wal/lsn names (a wrong name is a runtime error on the real server, so the text itself is the contract).
import { describe, expect, it } from "vitest";
import { primaryQuery, standbyQuery } from "./queries";
import { majorOfVersionNum, parseMajor, pgNames, type PgMajor } from "./version";

function major(text: string): PgMajor {
  const m = parseMajor(text);
  if (!m.ok) throw new Error(m.message);
  return m.value;
}

describe("parseMajor", () => {
  it("reads 9.x with its minor and 10+ as one number", () => {
    expect(parseMajor("9.6")).toEqual({ ok: true, value: { text: "9.6", num: 90600 } });
    expect(parseMajor("9.6.24")).toEqual({ ok: true, value: { text: "9.6", num: 90600 } });
    expect(parseMajor("15")).toEqual({ ok: true, value: { text: "15", num: 150000 } });
    expect(parseMajor(" 11.4 ")).toEqual({ ok: true, value: { text: "11", num: 110000 } });
  });
  it("refuses what is not a version, as a value", () => {
    for (const bad of ["", "fifteen", "9", "15;drop", "8.x"]) expect(parseMajor(bad).ok).toBe(false);
  });
  it("maps server_version_num to its major", () => {
    expect(majorOfVersionNum(90624)).toBe(90600);
    expect(majorOfVersionNum(150004)).toBe(150000);
  });
});

const XLOG_NAMES = ["pg_xlogfile_name", "pg_current_xlog_location", "pg_last_xlog_receive_location", "pg_last_xlog_replay_location", "pg_xlog_location_diff"];
const WAL_NAMES = ["pg_walfile_name(", "pg_current_wal_lsn", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn", "pg_wal_lsn_diff"];

describe("9.6 queries", () => {
  const m = major("9.6");
  const primary = primaryQuery(m);
  const standby = standbyQuery(m);
  it("use the xlog function names and the *_location columns, never the 10+ names", () => {
    expect(primary).toContain("pg_current_xlog_location()");
    expect(primary).toContain("pg_xlog_location_diff(");
    expect(primary).toContain("pg_xlogfile_name(");
    for (const col of ["sent_location", "write_location", "flush_location", "replay_location"]) expect(primary).toContain(col);
    expect(standby).toContain("pg_last_xlog_receive_location()");
    expect(standby).toContain("pg_last_xlog_replay_location()");
    expect(standby).toContain("pg_xlog_location_diff(pg_last_xlog_receive_location(), pg_last_xlog_replay_location())");
    for (const name of [...WAL_NAMES, "sent_lsn::", "write_lsn::", "flush_lsn::", "replay_lsn::", "replay_lag)", "flushed_lsn::", "'sender_host', sender_host"]) {
      expect(primary + standby).not.toContain(name);
    }
  });
  it("read the timeline from pg_control_checkpoint() and the receiver from pg_stat_wal_receiver", () => {
    expect(primary).toContain("(SELECT timeline_id FROM pg_control_checkpoint())");
    expect(standby).toContain("FROM pg_stat_wal_receiver");
    expect(standby).toContain("received_lsn::text");
    expect(standby).toContain("now() - pg_last_xact_replay_timestamp()");
  });
  it("ask for one JSON value, archiver included", () => {
    for (const q of [primary, standby]) {
      expect(q.startsWith("SELECT json_build_object(")).toBe(true);
      expect(q).toContain("FROM pg_stat_archiver");
      expect(q).toContain("pg_is_in_recovery()");
    }
  });
});

describe("10+ queries", () => {
  it.each(["10", "11", "12", "13", "15", "16"])("%s uses only the wal/lsn names", (v) => {
    const text = primaryQuery(major(v)) + standbyQuery(major(v));
    for (const name of WAL_NAMES) expect(text).toContain(name);
    for (const name of [...XLOG_NAMES, "_location"]) expect(text).not.toContain(name);
    expect(text).toContain("EXTRACT(EPOCH FROM replay_lag)");
  });
  it("uses flushed_lsn from 13 and sender_host from 11", () => {
    expect(standbyQuery(major("12"))).toContain("received_lsn::text");
    expect(standbyQuery(major("13"))).toContain("flushed_lsn::text");
    expect(standbyQuery(major("10"))).toContain("'sender_host', NULL::text");
    expect(standbyQuery(major("11"))).toContain("'sender_host', sender_host");
  });
});

describe("before 9.6", () => {
  it("has no pg_control_checkpoint() or pg_stat_wal_receiver", () => {
    const m = major("9.5");
    expect(pgNames(m)).toMatchObject({ hasControlCheckpoint: false, hasWalReceiver: false, currentLsn: "pg_current_xlog_location" });
    expect(primaryQuery(m) + standbyQuery(m)).not.toMatch(/pg_control_checkpoint|pg_stat_wal_receiver/);
  });
});
