import { describe, expect, it } from "vitest";

import { configEra, conninfo, promoteCommand, standbyConfig, walKeepSetting, walNames, writeStandbyConfig, defaultPromoteMethod } from "./config-gen";
import { parseMajor, pgNames, type PgMajor } from "./version";

const major = (text: string): PgMajor => {
  const m = parseMajor(text);
  if (!m.ok) throw new Error(m.message);
  return m.value;
};
const V96 = major("9.6");
const V11 = major("11");
const V12 = major("12");
const V13 = major("13");
const V15 = major("15");
const V16 = major("16");

describe("standby configuration by era", () => {
  // Seed 004 §3.2.3, the streaming standby's recovery.conf (9.6), line for line:
  //   standby_mode = 'on'
  //   primary_conninfo = 'host=172.40.40.197 port=5432 user=postgres password=postgres'
  //   restore_command = 'cp /home/goodus/archive/%f %p'
  //   archive_cleanup_command = 'pg_archivecleanup /home/goodus/archive %r'
  //   trigger_file = '/tmp/postgresql.trigger.5432'
  // Keel keeps the password out of the file (the walreceiver reads ~/.pgpass) and adds
  // recovery_target_timeline = 'latest' so the standby follows a promotion.
  it("9.6: the seed's recovery.conf, without the password", () => {
    const c = standbyConfig(V96, {
      primary: { host: "172.40.40.197", port: 5432, user: "postgres" },
      slot: null,
      triggerFile: "/tmp/postgresql.trigger.5432",
      restoreCommand: "cp /home/goodus/archive/%f %p",
      archiveCleanupCommand: "pg_archivecleanup /home/goodus/archive %r",
    });
    expect(c).toEqual({
      ok: true,
      era: "recovery.conf",
      file: "recovery.conf",
      text: [
        "standby_mode = 'on'",
        "primary_conninfo = 'host=172.40.40.197 port=5432 user=postgres'",
        "restore_command = 'cp /home/goodus/archive/%f %p'",
        "archive_cleanup_command = 'pg_archivecleanup /home/goodus/archive %r'",
        "trigger_file = '/tmp/postgresql.trigger.5432'",
        "recovery_target_timeline = 'latest'",
        "",
      ].join("\n"),
    });
  });

  it("9.6 warm standby (seed §2.2.7): restore_command only, no primary_conninfo", () => {
    const c = standbyConfig(V96, {
      primary: null,
      slot: "node_a_slot",
      triggerFile: "/tmp/postgresql.trigger.5432",
      restoreCommand: "cp /home/goodus/archive/%f %p",
      archiveCleanupCommand: "/home/goodus/pgsql/bin/pg_archivecleanup /home/goodus/archive/ %r",
    });
    expect(c.ok && c.text.split("\n")).toEqual([
      "standby_mode = 'on'",
      "restore_command = 'cp /home/goodus/archive/%f %p'",
      "archive_cleanup_command = '/home/goodus/pgsql/bin/pg_archivecleanup /home/goodus/archive/ %r'",
      "trigger_file = '/tmp/postgresql.trigger.5432'",
      "recovery_target_timeline = 'latest'",
      "",
    ]);
  });

  it("11: recovery.conf with primary_slot_name", () => {
    const c = standbyConfig(V11, { primary: { host: "127.0.0.36", port: 5432, user: "replicator", applicationName: "127.0.0.37:5432" }, slot: "standby_pg6", triggerFile: null, restoreCommand: null, archiveCleanupCommand: null });
    expect(c).toMatchObject({ ok: true, era: "recovery.conf" });
    expect(c.ok && c.text).toBe(
      "standby_mode = 'on'\nprimary_conninfo = 'host=127.0.0.36 port=5432 user=replicator application_name=127.0.0.37:5432'\nprimary_slot_name = 'standby_pg6'\nrecovery_target_timeline = 'latest'\n",
    );
  });

  it("12–15: postgresql.auto.conf settings (promote_trigger_file) + standby.signal; no standby_mode", () => {
    for (const m of [V12, V15]) {
      const c = standbyConfig(m, { primary: { host: "127.0.0.34", port: 5432, user: "replicator" }, slot: "s1", triggerFile: "/tmp/promote", restoreCommand: null, archiveCleanupCommand: null });
      expect(c).toMatchObject({ ok: true, era: "standby.signal", file: "postgresql.auto.conf" });
      expect(c.ok && c.text).toBe("primary_conninfo = 'host=127.0.0.34 port=5432 user=replicator'\nprimary_slot_name = 's1'\npromote_trigger_file = '/tmp/promote'\n");
    }
  });

  it("16: refuses a trigger file (promote_trigger_file was removed)", () => {
    expect(standbyConfig(V16, { primary: { host: "h", port: 5432, user: "replicator" }, slot: null, triggerFile: "/tmp/t", restoreCommand: null, archiveCleanupCommand: null })).toEqual({
      ok: false,
      field: "triggerFile",
      message: "PostgreSQL 16 has no promote_trigger_file (removed in 16): promote with pg_ctl promote or pg_promote()",
    });
  });

  it("refuses a standby with neither primary nor restore_command, and a bad slot", () => {
    expect(standbyConfig(V15, { primary: null, slot: null, triggerFile: null, restoreCommand: null, archiveCleanupCommand: null }).ok).toBe(false);
    expect(standbyConfig(V15, { primary: { host: "h", port: 1, user: "r" }, slot: "Bad-Slot", triggerFile: null, restoreCommand: null, archiveCleanupCommand: null })).toMatchObject({ ok: false, field: "slot" });
  });

  it("quotes values in conf syntax and refuses unsafe conninfo parts", () => {
    const c = standbyConfig(V15, { primary: null, slot: null, triggerFile: null, restoreCommand: "cp '/a b/%f' %p", archiveCleanupCommand: null });
    expect(c.ok && c.text).toBe("restore_command = 'cp ''/a b/%f'' %p'\n");
    expect(() => conninfo({ host: "h password=x", port: 5432, user: "r" })).toThrow();
    expect(() => conninfo({ host: "h", port: 5432, user: "r x" })).toThrow();
  });

  it("writes recovery.conf whole, or replaces Keel's keys in postgresql.auto.conf and touches standby.signal", () => {
    const old = standbyConfig(V11, { primary: { host: "h", port: 5432, user: "r" }, slot: null, triggerFile: null, restoreCommand: null, archiveCleanupCommand: null });
    const modern = standbyConfig(V15, { primary: { host: "h", port: 5432, user: "r" }, slot: null, triggerFile: null, restoreCommand: null, archiveCleanupCommand: null });
    if (!old.ok || !modern.ok) throw new Error("expected configs");
    expect(writeStandbyConfig(old).argv).toEqual(["sh", "-c", 'set -e; umask 077; cat > "$PGDATA/recovery.conf.keel"; mv "$PGDATA/recovery.conf.keel" "$PGDATA/recovery.conf"']);
    const w = writeStandbyConfig(modern);
    expect(w.argv.slice(3)).toEqual(["sh", "primary_conninfo|primary_slot_name|promote_trigger_file|restore_command|archive_cleanup_command|recovery_target_timeline"]);
    expect(w.argv[2]).toContain(': > "$PGDATA/standby.signal"');
    expect(w.stdin.text).toBe(modern.text);
  });
});

describe("names and settings that changed between versions", () => {
  it("xlog names in 9.6 (seed: pg_xlog, pg_switch_xlog, --xlog), wal names from 10", () => {
    expect(walNames(V96)).toEqual({ walDir: "pg_xlog", switchWal: "pg_switch_xlog", basebackupWalFlag: "--xlog-method=stream" });
    expect(walNames(V11)).toEqual({ walDir: "pg_wal", switchWal: "pg_switch_wal", basebackupWalFlag: "--wal-method=stream" });
    // The seed's lag query names (pg_last_xlog_receive_location, pg_last_xlog_replay_location) for 9.6.
    expect(pgNames(V96)).toMatchObject({ receiveLsn: "pg_last_xlog_receive_location", replayLsn: "pg_last_xlog_replay_location" });
  });

  it("eras: recovery.conf through 11, standby.signal from 12", () => {
    expect([V96, V11, V12, V15].map(configEra)).toEqual(["recovery.conf", "recovery.conf", "standby.signal", "standby.signal"]);
  });

  it("wal_keep_segments (16 MB segments) through 12, wal_keep_size from 13", () => {
    expect(walKeepSetting(V96, 256)).toEqual({ name: "wal_keep_segments", value: "16" });
    expect(walKeepSetting(V12, 100)).toEqual({ name: "wal_keep_segments", value: "7" });
    expect(walKeepSetting(V13, 256)).toEqual({ name: "wal_keep_size", value: "256MB" });
  });
});

describe("promotion by version", () => {
  const o = { pgbin: "/usr/lib/postgresql/15/bin", port: 5432, triggerFile: "/tmp/postgresql.trigger.5432" };

  it("defaults: pg_promote() from 12, pg_ctl promote before", () => {
    expect([V96, V11, V12, V15].map(defaultPromoteMethod)).toEqual(["pg_ctl", "pg_ctl", "pg_promote", "pg_promote"]);
  });

  it("pg_promote() waits; refused before 12", () => {
    expect(promoteCommand(V15, "pg_promote", o)).toEqual({
      ok: true,
      method: "pg_promote",
      waits: true,
      argv: ["/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-p", "5432", "-U", "postgres", "-d", "postgres", "-c", "SELECT pg_promote(true, 120)"],
    });
    expect(promoteCommand(V11, "pg_promote", o)).toMatchObject({ ok: false, field: "method", message: expect.stringContaining("pg_promote() arrived in 12") });
  });

  it("pg_ctl promote: -w from 10 (9.6's returns at once, as the seed's 'server promoting')", () => {
    expect(promoteCommand(V96, "pg_ctl", { ...o, pgbin: "/home/goodus/pgsql/bin" })).toEqual({ ok: true, method: "pg_ctl", waits: false, argv: ["/home/goodus/pgsql/bin/pg_ctl", "promote"] });
    expect(promoteCommand(V11, "pg_ctl", o)).toEqual({ ok: true, method: "pg_ctl", waits: true, argv: ["/usr/lib/postgresql/15/bin/pg_ctl", "promote", "-w", "-t", "120"] });
  });

  it("the seed's trigger file (touch /tmp/postgresql.trigger.5432) through 15, refused on 16", () => {
    expect(promoteCommand(V96, "trigger-file", o)).toEqual({ ok: true, method: "trigger-file", waits: false, argv: ["touch", "/tmp/postgresql.trigger.5432"] });
    expect(promoteCommand(V15, "trigger-file", o).ok).toBe(true);
    expect(promoteCommand(V16, "trigger-file", o)).toMatchObject({ ok: false, field: "method" });
    expect(promoteCommand(V15, "trigger-file", { ...o, triggerFile: null })).toMatchObject({ ok: false, field: "triggerFile" });
  });
});
