import { describe, expect, it, vi } from "vitest";

import { compilePlan, planDigest } from "../../../runs/plan";
import { failbackRewind } from "./failback-rewind";
import { argvOf, outline, planOf, seed96, stdinOf, streaming11, streaming15, verdict } from "./test-context.test-fixture";

const PG15 = { major: "15", target: "127.0.0.32:5432", source: "127.0.0.33:5432", passwordCredential: "cred-1" };

// pg_controldata of a cleanly stopped old primary, as the rewind precheck's probe prints it.
function probe(o: { state?: string; hints?: string; checksums?: string; sysid?: string; tl?: number; identify?: string; head?: string } = {}): string {
  return [
    o.head ?? "pgdata=/data\nentries=24\nversion=15",
    "--controldata--",
    `Database system identifier:           ${o.sysid ?? "7300000000000000001"}`,
    `Database cluster state:               ${o.state ?? "shut down"}`,
    `Latest checkpoint's TimeLineID:       ${o.tl ?? 1}`,
    `wal_log_hints setting:                ${o.hints ?? "on"}`,
    `Data page checksum version:           ${o.checksums ?? "0"}`,
    "--identify--",
    o.identify ?? "7300000000000000001|2|0/6000148|",
    "",
  ].join("\n");
}

describe("failback-rewind", () => {
  it("a crashed target: checkpoint on the source, start/stop the target locally, pg_rewind, re-point, slot, start, lag 0", () => {
    const plan = planOf(compilePlan(failbackRewind, { ...PG15, targetCrashed: true }, streaming15));
    expect(outline(plan)).toEqual([
      "source-version precheck @pg2",
      "target-stopped precheck @pg1",
      "checkpoint action @pg2",
      "source-ready precheck @pg2",
      "pgpass-target action @pg1",
      "approve confirm",
      "slot action @pg2",
      "crash-recovery[0]/start-local action @pg1",
      "crash-recovery[0]/stop-clean action @pg1",
      "rewind[0]/rewindable precheck @pg1",
      "rewind[0]/pg-rewind action @pg1",
      "host-conf[0]/host-conf-write action @pg1",
      "standby-config action @pg1",
      "start-target action @pg1",
      "caught-up wait-until @pg1",
      "source-streams verify @pg2",
    ]);
    expect(argvOf(plan, "crash-recovery[0]/start-local")).toEqual([
      "sh", "-c", 'exec "$@" -D "$PGDATA" -l "$(dirname "$PGDATA")/postgresql.log"', "sh", "/usr/lib/postgresql/15/bin/pg_ctl", "start", "-o", "-c listen_addresses=''", "-w", "-t", "120",
    ]);
    expect(argvOf(plan, "rewind[0]/pg-rewind")).toEqual([
      "sh", "-c", 'exec "$@" --target-pgdata="$PGDATA"', "sh", "/usr/lib/postgresql/15/bin/pg_rewind", "--source-server=host=127.0.0.33 port=5432 user=replicator dbname=postgres", "--progress",
    ]);
    expect(plan.steps.find((s) => s.key === "rewind[0]/pg-rewind")?.help).toContain('plan this procedure again with method "re-clone" — WARNING');
    expect(stdinOf(plan, "standby-config")?.text).toBe("primary_conninfo = 'host=127.0.0.33 port=5432 user=replicator application_name=127.0.0.32:5432'\nprimary_slot_name = 'standby_127_0_0_32'\n");
  });

  it("re-clone on 11: PGDATA moved aside, pg_basebackup, recovery.conf", () => {
    const plan = planOf(compilePlan(failbackRewind, { major: "11", target: "127.0.0.36:5432", source: "127.0.0.37:5432", passwordCredential: "c", method: "re-clone", movedAsideAt: "20261123T120000" }, streaming11));
    expect(outline(plan).filter((l) => l.startsWith("re-clone"))).toEqual(["re-clone[0]/move-aside action @pg5", "re-clone[0]/basebackup action @pg5"]);
    expect(argvOf(plan, "re-clone[0]/move-aside").slice(-1)).toEqual(["20261123T120000"]);
    expect(outline(plan).some((l) => l.startsWith("rewind"))).toBe(false);
    expect(stdinOf(plan, "standby-config")?.text).toContain("standby_mode = 'on'\nprimary_conninfo = 'host=127.0.0.37 port=5432 user=replicator");
  });

  it("re-clone without a suffix: the plan does not depend on the clock (the reviewed digest still matches at start)", () => {
    const params = { major: "11", target: "127.0.0.36:5432", source: "127.0.0.37:5432", passwordCredential: "c", method: "re-clone" };
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date("2026-11-23T12:00:00Z"));
      const reviewed = planOf(compilePlan(failbackRewind, params, streaming11));
      vi.setSystemTime(new Date("2026-11-23T12:00:07Z"));
      const started = planOf(compilePlan(failbackRewind, params, streaming11));
      expect(planDigest(started)).toBe(planDigest(reviewed));
      // No suffix argument: the host's UTC time at the move names the kept directory.
      expect(argvOf(started, "re-clone[0]/move-aside").at(-1)).toBe("sh");
      expect(started.steps.find((x) => x.key === "re-clone[0]/move-aside")?.title).toContain("$PGDATA.keel-<UTC time of the move>");
    } finally {
      vi.useRealTimers();
    }
  });

  it("9.6: the seed's pg_rewind --target-pgdata … --source-server='host=… port=5432 user=postgres dbname=postgres' -P", () => {
    const plan = planOf(compilePlan(failbackRewind, { major: "9.6", target: "172.40.40.197:5432", source: "172.40.40.196:5432", passwordCredential: "c", replicationUser: "postgres" }, seed96));
    expect(argvOf(plan, "rewind[0]/pg-rewind").slice(4)).toEqual(["/home/goodus/pgsql/bin/pg_rewind", "--source-server=host=172.40.40.196 port=5432 user=postgres dbname=postgres", "--progress"]);
  });

  describe("checks, each with its reason", () => {
    const plan = planOf(compilePlan(failbackRewind, PG15, streaming15));
    const check = (out: string) => verdict(failbackRewind, plan, "rewind[0]/rewindable", out);

    it("passes on a clean, hinted, diverged target of the same cluster", () => {
      expect(check(probe())).toEqual({ ok: true });
      expect(check(probe({ hints: "off", checksums: "1" }))).toEqual({ ok: true });
    });

    it("refuses without wal_log_hints or checksums, before starting, with the fix", () => {
      expect(check(probe({ hints: "off" }))).toEqual({
        ok: false,
        reason: "the target has neither wal_log_hints = on nor data checksums: pg_rewind refuses. Use the re-clone method now; set wal_log_hints = on on both servers for next time (the set-up procedure does)",
      });
    });

    it("refuses another cluster, no divergence, an unclean target, an unreadable control file", () => {
      expect(check(probe({ sysid: "42" }))).toMatchObject({ ok: false, reason: expect.stringContaining("system identifiers differ") });
      expect(check(probe({ identify: "7300000000000000001|1|0/6000148|" }))).toMatchObject({ ok: false, reason: expect.stringContaining("both are on timeline 1") });
      expect(check(probe({ state: "in production" }))).toMatchObject({ ok: false, reason: expect.stringContaining("must be shut down cleanly") });
      expect(check("pgdata=/data\nentries=24\nversion=11\n--identify--\n7300000000000000001|2|0/6000148|\n")).toMatchObject({ ok: false, reason: expect.stringContaining("pg_controldata is not in this host's PGBIN") });
      expect(check(probe({ identify: 'psql: error: FATAL:  no pg_hba.conf entry for replication connection from host "127.0.0.1", user "replicator", no encryption' }))).toMatchObject({
        ok: false,
        reason: expect.stringContaining("add \"host replication replicator"),
      });
    });

    it("the target must be stopped, and a crash must be declared", () => {
      const stopped = (out: string) => verdict(failbackRewind, plan, "target-stopped", out);
      expect(stopped("pgdata=/data\nentries=24\nversion=15\nrunning=4242\n")).toMatchObject({ ok: false, reason: expect.stringContaining("is still running: fence it first") });
      expect(stopped("pgdata=/data\nentries=24\nversion=15\nstale_pid=4242\n")).toMatchObject({ ok: false, reason: expect.stringContaining('plan again with "target crashed" set') });
      expect(stopped("pgdata=/data\nentries=24\nversion=15\n")).toEqual({ ok: true });
    });

    it("the source must be a primary that checkpointed on its new timeline, with full_page_writes", () => {
      const facts = (o: object) =>
        JSON.stringify({
          version: 150004, in_recovery: false, wal_level: "replica", max_wal_senders: 10, senders_used: 0, max_replication_slots: 10, hot_standby: "on", wal_log_hints: "on", data_checksums: "off",
          full_page_writes: "on", listen_addresses: "*", archive_mode: "off", archive_command: "", pending_restart: [], system_identifier: "1", timeline: 2, checkpoint_timeline: 2, slots: [], ...o,
        });
      const ready = (o: object) => verdict(failbackRewind, plan, "source-ready", facts(o));
      expect(ready({})).toEqual({ ok: true });
      expect(ready({ checkpoint_timeline: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining("run CHECKPOINT on 127.0.0.33:5432") });
      expect(ready({ full_page_writes: "off" })).toMatchObject({ ok: false, reason: expect.stringContaining("full_page_writes is off") });
      expect(ready({ in_recovery: true })).toMatchObject({ ok: false, reason: expect.stringContaining("fail over to it first") });
    });
  });
});
