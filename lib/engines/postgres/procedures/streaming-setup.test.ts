import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { streamingSetup } from "./streaming-setup";
import { argvOf, bare15, outline, planOf, seed96, stdinOf, verdict } from "./test-context.test-fixture";

const PSQL15 = ["/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-p", "5432", "-U", "postgres", "-d", "postgres"];
const BARE = { major: "15", primary: "127.0.0.34:5432", standby: "127.0.0.35:5432", passwordCredential: "cred-1" };
// Seed §3.2: master 172.40.40.197, slave 172.40.40.196.
const SEED = { major: "9.6", primary: "172.40.40.197:5432", standby: "172.40.40.196:5432", passwordCredential: "cred-1", replicationUser: "postgres", triggerFile: "/tmp/postgresql.trigger.5432" };

const facts = (o: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: 150004, in_recovery: false, wal_level: "replica", max_wal_senders: 10, senders_used: 0, max_replication_slots: 10, hot_standby: "on",
    wal_log_hints: "on", data_checksums: "off", full_page_writes: "on", listen_addresses: "127.0.0.34", archive_mode: "off", archive_command: "(disabled)",
    pending_restart: [], system_identifier: "7300000000000000001", timeline: 1, checkpoint_timeline: 1, slots: [], ...o,
  });

describe("streaming-setup", () => {
  it("compiles the seed's order on the lab's bare pair: settings, pg_hba, role, restart, slot, the two checks, clone, configure, start, verify", () => {
    const plan = planOf(compilePlan(streamingSetup, BARE, bare15));
    expect(outline(plan)).toEqual([
      "primary-version precheck @pg3",
      "standby-empty precheck @pg4",
      "listening precheck @pg3",
      "approve-restart confirm",
      "settings action @pg3",
      "hba action @pg3",
      "role action @pg3",
      "restart action @pg3",
      "settings-applied verify @pg3",
      "slot action @pg3",
      "pgpass-standby action @pg4",
      "pgpass-primary action @pg3",
      "senders-free precheck @pg3",
      "replication-connection precheck @pg4",
      "basebackup action @pg4",
      "host-conf[0]/host-conf-write action @pg4",
      "standby-config action @pg4",
      "start-standby action @pg4",
      "streaming wait-until @pg4",
      "primary-streams verify @pg3",
    ]);
    expect(argvOf(plan, "settings")).toEqual([
      ...PSQL15,
      "-c", "ALTER SYSTEM SET wal_level = 'replica'",
      "-c", "ALTER SYSTEM SET max_wal_senders = '10'",
      "-c", "ALTER SYSTEM SET max_replication_slots = '10'",
      "-c", "ALTER SYSTEM SET wal_keep_size = '256MB'",
      "-c", "ALTER SYSTEM SET hot_standby = 'on'",
      "-c", "ALTER SYSTEM SET wal_log_hints = 'on'",
    ]);
    expect(argvOf(plan, "hba").slice(4)).toEqual(["host replication replicator 127.0.0.34/32 md5", "host replication replicator 127.0.0.35/32 md5"]);
    expect(argvOf(plan, "basebackup")).toEqual([
      "sh", "-c", 'exec "$@" -D "$PGDATA"', "sh", "/usr/lib/postgresql/15/bin/pg_basebackup",
      "-h", "127.0.0.34", "-p", "5432", "-U", "replicator", "--no-password", "--wal-method=stream", "--checkpoint=fast", "--progress", "--slot=standby_127_0_0_35",
    ]);
    expect(argvOf(plan, "restart")).toEqual(["sh", "-c", 'exec "$@" -D "$PGDATA" -l "$(dirname "$PGDATA")/postgresql.log"', "sh", "/usr/lib/postgresql/15/bin/pg_ctl", "restart", "-m", "fast", "-w", "-t", "120"]);
    expect(stdinOf(plan, "standby-config")).toEqual({
      text: "primary_conninfo = 'host=127.0.0.34 port=5432 user=replicator application_name=127.0.0.35:5432'\nprimary_slot_name = 'standby_127_0_0_35'\n",
    });
    expect(plan.requiresSecondDba).toBe(false);
  });

  it("never puts the password in argv or the plan: the credential's id goes to stdin", () => {
    const plan = planOf(compilePlan(streamingSetup, BARE, bare15));
    expect(stdinOf(plan, "role")).toMatchObject({ credential: "cred-1" });
    expect(stdinOf(plan, "role")?.text).toContain("CREATE ROLE replicator WITH REPLICATION LOGIN");
    expect(stdinOf(plan, "role")?.text).toContain("GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO replicator;");
    expect(stdinOf(plan, "pgpass-standby")).toEqual({ credential: "cred-1" });
    expect(planAsText(plan)).toContain("< (secret of credential cred-1)");
    expect(JSON.stringify(plan)).not.toMatch(/password=/);
  });

  it("9.6 (the seed): xlog-era pg_basebackup, wal_keep_segments, recovery.conf, no pg_rewind grants", () => {
    const plan = planOf(compilePlan(streamingSetup, SEED, seed96));
    expect(argvOf(plan, "basebackup").slice(4)).toEqual([
      "/home/goodus/pgsql/bin/pg_basebackup", "-h", "172.40.40.197", "-p", "5432", "-U", "postgres", "--no-password", "--xlog-method=stream", "--checkpoint=fast", "--progress", "--slot=standby_172_40_40_196",
    ]);
    expect(argvOf(plan, "settings")).toContain("ALTER SYSTEM SET wal_keep_segments = '16'");
    expect(stdinOf(plan, "standby-config")?.text).toBe(
      "standby_mode = 'on'\nprimary_conninfo = 'host=172.40.40.197 port=5432 user=postgres application_name=172.40.40.196:5432'\nprimary_slot_name = 'standby_172_40_40_196'\ntrigger_file = '/tmp/postgresql.trigger.5432'\nrecovery_target_timeline = 'latest'\n",
    );
    expect(plan.steps.find((s) => s.key === "standby-config")?.title).toBe("Configure 172.40.40.196:5432 as a standby (recovery.conf)");
    expect(stdinOf(plan, "role")?.text).not.toContain("GRANT");
    expect(outline(plan)).not.toContain("host-conf[0]/host-conf-write action @postgresql96_slave");
  });

  it("refuses servers outside the cluster, one server twice, and a wrong version, by field", () => {
    const outside = compilePlan(streamingSetup, { ...BARE, standby: "127.0.0.99:5432" }, bare15);
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.errors).toContainEqual({ kind: "step", step: "hba", message: "command refused: standby: 127.0.0.99:5432 is not a server of this cluster (servers: 127.0.0.34:5432, 127.0.0.35:5432)" });
    const twice = compilePlan(streamingSetup, { ...BARE, standby: BARE.primary }, bare15);
    if (!twice.ok) expect(twice.errors).toContainEqual({ kind: "step", step: "hba", message: "command refused: standby: 127.0.0.34:5432 is the same server as primary" });
    else throw new Error("expected a refusal");
    expect(compilePlan(streamingSetup, { ...BARE, major: "9.5" }, bare15)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "major" }] });
    expect(compilePlan(streamingSetup, { ...BARE, hbaSources: ["everywhere"] }, bare15)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "hbaSources.0" }] });
    expect(compilePlan(streamingSetup, { ...BARE, passwordCredential: "" }, bare15)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "passwordCredential" }] });
  });

  describe("checks", () => {
    const plan = planOf(compilePlan(streamingSetup, BARE, bare15));

    it("version and role of the primary", () => {
      expect(verdict(streamingSetup, plan, "primary-version", facts())).toEqual({ ok: true });
      expect(verdict(streamingSetup, plan, "primary-version", facts({ version: 110022 }))).toEqual({ ok: false, reason: "127.0.0.34:5432 runs server_version_num 110022, not PostgreSQL 15: plan again with the server's major version" });
      expect(verdict(streamingSetup, plan, "primary-version", facts({ in_recovery: true })).ok).toBe(false);
    });

    it("the seed's second failure before it happens: max_wal_senders too low", () => {
      expect(verdict(streamingSetup, plan, "senders-free", facts({ max_wal_senders: 0 }))).toEqual({
        ok: false,
        reason: 'max_wal_senders is 0 with 0 in use: pg_basebackup would fail with "number of requested standby connections exceeds max_wal_senders (currently 0)". Raise it (ALTER SYSTEM SET max_wal_senders = 4) and restart 127.0.0.34:5432',
      });
      expect(verdict(streamingSetup, plan, "senders-free", facts({ max_wal_senders: 2, senders_used: 1 })).ok).toBe(false);
      expect(verdict(streamingSetup, plan, "senders-free", facts({ pending_restart: ["max_wal_senders"] }))).toMatchObject({ ok: false, reason: expect.stringContaining("waiting for a restart (max_wal_senders)") });
      expect(verdict(streamingSetup, plan, "senders-free", facts())).toEqual({ ok: true });
    });

    it("the seed's first failure, from the standby's host: no pg_hba entry — with the fix", () => {
      const seedError = 'psql: error: connection to server at "127.0.0.34", port 5432 failed: FATAL:  no pg_hba.conf entry for replication connection from host "127.0.0.35", user "replicator", no encryption';
      expect(verdict(streamingSetup, plan, "replication-connection", "", 2, seedError)).toEqual({
        ok: false,
        reason: `${seedError} — add "host replication replicator 127.0.0.35/32 md5" (and the other host's address) to 127.0.0.34:5432's pg_hba.conf, then SELECT pg_reload_conf()`,
      });
      expect(verdict(streamingSetup, plan, "replication-connection", "", 2, "FATAL:  number of requested standby connections exceeds max_wal_senders (currently 0)")).toMatchObject({ ok: false, reason: expect.stringContaining("raise max_wal_senders on 127.0.0.34:5432") });
      expect(verdict(streamingSetup, plan, "replication-connection", "", 2, 'FATAL:  password authentication failed for user "replicator"')).toMatchObject({ ok: false, reason: expect.stringContaining("does not match replicator's") });
      expect(verdict(streamingSetup, plan, "replication-connection", "7300000000000000001|1|0/3000148|\n")).toEqual({ ok: true });
    });

    it("an empty PGDATA only; a cluster there is never deleted", () => {
      expect(verdict(streamingSetup, plan, "standby-empty", "pgdata=/data\nentries=0\n")).toEqual({ ok: true });
      expect(verdict(streamingSetup, plan, "standby-empty", "pgdata=/data\nentries=absent\n")).toEqual({ ok: true });
      expect(verdict(streamingSetup, plan, "standby-empty", "pgdata=/data\nentries=21\nversion=15\n")).toEqual({
        ok: false,
        reason: "/data on 127.0.0.35:5432's host is not empty (PostgreSQL 15 cluster); pg_basebackup needs it empty — move it aside yourself, Keel does not delete data directories",
      });
      expect(verdict(streamingSetup, plan, "standby-empty", "pgdata=\n")).toMatchObject({ ok: false, reason: expect.stringContaining("PGDATA is not set") });
    });

    it("listen_addresses must cover the primary's address", () => {
      expect(verdict(streamingSetup, plan, "listening", facts({ listen_addresses: "localhost" }))).toMatchObject({ ok: false, reason: expect.stringContaining("listen_addresses is 'localhost'") });
      expect(verdict(streamingSetup, plan, "listening", facts({ listen_addresses: "*" }))).toEqual({ ok: true });
    });
  });
});
