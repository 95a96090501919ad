import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { failover } from "./failover";
import { argvOf, outline, planOf, seed96, streaming11, streaming15, verdict } from "./test-context.test-fixture";

const PG15 = { major: "15", standby: "127.0.0.33:5432", oldPrimary: "127.0.0.32:5432" };
const PG11 = { major: "11", standby: "127.0.0.37:5432", oldPrimary: "127.0.0.36:5432" };
const SEED = { major: "9.6", standby: "172.40.40.196:5432", oldPrimary: "172.40.40.197:5432" };

const primaryState = (rows: object[]) =>
  JSON.stringify({ server_version_num: 150004, in_recovery: false, checkpoint_timeline: 1, archiver: null, current_lsn: "0/5000000", current_timeline: 1, replication: rows, slots: [] });
const row = (o: object) => ({ pid: 1, application_name: "127.0.0.33:5432", client_addr: "127.0.0.1", state: "streaming", sent_lsn: null, write_lsn: null, flush_lsn: null, replay_lsn: null, sync_state: "async", replay_lag_bytes: 0, replay_lag_seconds: 0, ...o });
const facts = (o: Record<string, unknown>) =>
  JSON.stringify({
    version: 150004, in_recovery: false, wal_level: "replica", max_wal_senders: 10, senders_used: 0, max_replication_slots: 10, hot_standby: "on", wal_log_hints: "on", data_checksums: "off",
    full_page_writes: "on", listen_addresses: "*", archive_mode: "on", archive_command: "(disabled)", pending_restart: [], system_identifier: "1", timeline: 2, checkpoint_timeline: 1, slots: [], ...o,
  });

describe("failover", () => {
  it("reachable old primary: lag check, approval, clean stop, replay, pg_promote(), verified", () => {
    const plan = planOf(compilePlan(failover, PG15, streaming15));
    expect(outline(plan)).toEqual([
      "standby-version precheck @pg2",
      "reachable[0]/lag precheck @pg1",
      "reachable[0]/approve confirm",
      "reachable[0]/fence action @pg1",
      "replayed wait-until @pg2",
      "promote action @pg2",
      "promoted wait-until @pg2",
      "read-write verify @pg2",
      "archive-command verify @pg2",
    ]);
    expect(argvOf(plan, "reachable[0]/fence")).toEqual(["sh", "-c", 'exec "$@" -D "$PGDATA"', "sh", "/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-m", "fast", "-w", "-t", "120"]);
    expect(argvOf(plan, "promote").slice(-2)).toEqual(["-c", "SELECT pg_promote(true, 120)"]);
    expect(plan.requiresSecondDba).toBe(true);
    // The promotion records the new roles in the inventory when it succeeds.
    expect(plan.steps.find((st) => st.key === "promote")).toMatchObject({ setsRoles: [{ node: PG15.standby, role: "primary" }, { node: PG15.oldPrimary, role: "standby" }] });
  });

  it("refuses to record a role for a node that is not in the cluster", () => {
    const compiled = compilePlan(failover, { ...PG15, oldPrimary: "127.0.0.99:5432" }, streaming15);
    expect(compiled.ok).toBe(false);
  });

  it("unreachable: a destructive attestation instead of the fence; 11 promotes with pg_ctl promote -w", () => {
    const plan = planOf(compilePlan(failover, { ...PG11, oldPrimaryReachable: false }, streaming11));
    expect(outline(plan).slice(0, 3)).toEqual(["standby-version precheck @pg6", "unreachable[0]/attest-down confirm", "replayed wait-until @pg6"]);
    const attest = plan.steps.find((s) => s.key === "unreachable[0]/attest-down");
    expect(attest).toMatchObject({ kind: "confirm", destructive: true, text: expect.stringContaining("otherwise two primaries accept writes") });
    expect(argvOf(plan, "promote")).toEqual([`${streaming11.settings.PGBIN}/pg_ctl`, "promote", "-w", "-t", "120"]);
  });

  it("by version: the seed's trigger file and 9.6's pg_ctl promote; pg_promote() refused before 12, the trigger file on 16", () => {
    const seedTrigger = planOf(compilePlan(failover, { ...SEED, method: "trigger-file", triggerFile: "/tmp/postgresql.trigger.5432" }, seed96));
    expect(argvOf(seedTrigger, "promote")).toEqual(["touch", "/tmp/postgresql.trigger.5432"]);
    expect(argvOf(planOf(compilePlan(failover, SEED, seed96)), "promote")).toEqual(["/home/goodus/pgsql/bin/pg_ctl", "promote"]);
    const tooOld = compilePlan(failover, { ...PG11, method: "pg_promote" }, streaming11);
    expect(tooOld.ok).toBe(false);
    if (!tooOld.ok) expect(tooOld.errors).toEqual([{ kind: "step", step: "promote", message: "command refused: method: pg_promote() arrived in 12; PostgreSQL 11 promotes with pg_ctl promote or the trigger file" }]);
    const sixteen = compilePlan(failover, { ...PG15, major: "16", method: "trigger-file", triggerFile: "/tmp/t" }, streaming15);
    if (!sixteen.ok) expect(sixteen.errors[0]?.message).toContain("no promote_trigger_file (removed in 16)");
    else throw new Error("expected a refusal");
  });

  it("shows lag in the refusal, and refuses a standby that does not stream", () => {
    const plan = planOf(compilePlan(failover, PG15, streaming15));
    expect(verdict(failover, plan, "reachable[0]/lag", primaryState([row({ replay_lag_bytes: 1024 })]))).toEqual({ ok: true });
    expect(verdict(failover, plan, "reachable[0]/lag", primaryState([row({ replay_lag_bytes: 50_000_000, replay_lag_seconds: 12.34 })]))).toEqual({
      ok: false,
      reason: "lag 50000000 bytes / 12.3 s is above 16777216: wait for the standby to catch up, or raise the limit",
    });
    expect(verdict(failover, plan, "reachable[0]/lag", primaryState([]))).toMatchObject({ ok: false, reason: expect.stringContaining("is not streaming from 127.0.0.32:5432") });
    expect(verdict(failover, plan, "reachable[0]/lag", "", 2, "psql: error: connection refused")).toMatchObject({ ok: false, reason: expect.stringContaining('clear "old primary reachable"') });
  });

  it("a standby that is already primary is refused before anything happens", () => {
    const plan = planOf(compilePlan(failover, PG15, streaming15));
    expect(verdict(failover, plan, "standby-version", facts({ in_recovery: false }))).toEqual({ ok: false, reason: "127.0.0.33:5432 is not in recovery: it is already a primary" });
  });

  it("verifies read-write on a new timeline", () => {
    const plan = planOf(compilePlan(failover, PG15, streaming15));
    expect(verdict(failover, plan, "read-write", JSON.stringify({ xid: 750, in_recovery: false, read_only: "off", timeline: 2 }))).toEqual({ ok: true });
    expect(verdict(failover, plan, "read-write", JSON.stringify({ xid: 750, in_recovery: false, read_only: "off", timeline: 1 })).ok).toBe(false);
    expect(verdict(failover, plan, "read-write", "", 1, "ERROR:  cannot assign TransactionIds during recovery")).toMatchObject({ ok: false });
  });

  it("the seed's 'archiver failed': archive_command still shipping to the promoted server itself", () => {
    const plan = planOf(compilePlan(failover, SEED, seed96));
    const seedCommand = "scp -i /home/goodus/.ssh/id_rsa %p goodus@172.40.40.196:/home/goodus/archive/%f";
    expect(verdict(failover, plan, "archive-command", facts({ version: 90610, archive_command: seedCommand }))).toEqual({
      ok: false,
      reason: `archive_command '${seedCommand}' copies WAL to 172.40.40.196, the promoted server itself: the archiver will fail ("archiver process failed on …"). Run again with a new archive_command (to the new standby's archive), or set archive_mode = off`,
    });
    expect(verdict(failover, plan, "archive-command", facts({ archive_command: "scp %p goodus@172.40.40.197:/home/goodus/archive/%f" }))).toEqual({ ok: true });
    expect(verdict(failover, plan, "archive-command", facts({ archive_mode: "off", archive_command: seedCommand }))).toEqual({ ok: true });
    const fixed = planOf(compilePlan(failover, { ...SEED, newArchiveCommand: "scp %p goodus@172.40.40.197:/home/goodus/archive/%f" }, seed96));
    expect(argvOf(fixed, "archive-fix[0]/set-archive-command").slice(-4)).toEqual(["-c", "ALTER SYSTEM SET archive_command = 'scp %p goodus@172.40.40.197:/home/goodus/archive/%f'", "-c", "SELECT pg_reload_conf()"]);
  });
});
