import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import type { PlanContext } from "../../../runs/plan";
import { warmStandby } from "./warm-standby";
import { argvOf, planOf, seed96, stdinOf, streaming15, verdict } from "./test-context.test-fixture";

// Seed §2.2: master 172.40.40.194, slave 172.40.40.195.
const seedWarm: PlanContext = {
  ...seed96,
  nodes: [
    { name: "172.40.40.194:5432", type: "server", role: "primary", group: null, hostName: "postgresql96", hostAddress: "172.40.40.194" },
    { name: "172.40.40.195:5432", type: "server", role: "standby", group: null, hostName: "postgresql96_slave", hostAddress: "172.40.40.195" },
  ],
};
const KEY = `SHA256:${"k".repeat(43)}`;
const SEED = {
  major: "9.6",
  primary: "172.40.40.194:5432",
  standby: "172.40.40.195:5432",
  archiveDir: "/home/goodus/archive",
  standbyAccount: "goodus",
  keyCredential: "wal-key",
  keepStreaming: false,
  hostKeys: { postgresql96_slave: KEY },
};

describe("warm-standby", () => {
  it("the seed's archive_command (scp of %p to the slave's archive), archive_timeout 30, restore and cleanup commands", () => {
    const plan = planOf(compilePlan(warmStandby, SEED, seedWarm));
    expect(argvOf(plan, "archive-settings").slice(-6)).toEqual([
      "-c", "ALTER SYSTEM SET archive_mode = 'on'",
      "-c", `ALTER SYSTEM SET archive_command = 'scp -q -i "$HOME/.ssh/keel_wal_key" -P 22 -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$HOME/.ssh/keel_known_hosts" %p goodus@172.40.40.195:/home/goodus/archive/%f'`,
      "-c", "ALTER SYSTEM SET archive_timeout = 30",
    ]);
    expect(stdinOf(plan, "standby-config")?.text).toBe(
      "standby_mode = 'on'\nrestore_command = 'cp /home/goodus/archive/%f %p'\narchive_cleanup_command = '/home/goodus/pgsql/bin/pg_archivecleanup /home/goodus/archive %r'\nrecovery_target_timeline = 'latest'\n",
    );
    expect(argvOf(plan, "switch-wal").slice(-1)).toEqual(["SELECT pg_switch_xlog()"]);
    expect(stdinOf(plan, "install-key")).toEqual({ credential: "wal-key" });
    expect(stdinOf(plan, "authorize-key")).toEqual({ credential: "wal-key" });
    // The standby's host key is trusted only as Keel pinned it.
    expect(argvOf(plan, "pin-host-key").slice(-3)).toEqual(["172.40.40.195", "22", KEY]);
  });

  it("refuses to plan WAL shipping to a host whose key Keel has not pinned", () => {
    const compiled = compilePlan(warmStandby, { ...SEED, hostKeys: {} }, seedWarm);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(JSON.stringify(compiled.errors)).toContain("no pinned host key in Keel");
  });

  it("15 beside streaming: primary_conninfo kept, pg_switch_wal()", () => {
    const plan = planOf(compilePlan(warmStandby, { ...SEED, major: "15", primary: "127.0.0.32:5432", standby: "127.0.0.33:5432", archiveDir: "/var/tmp/wal", standbyAccount: "keel-pg2", sshPort: 2222, keepStreaming: true, hostKeys: { pg2: KEY } }, streaming15));
    expect(stdinOf(plan, "standby-config")?.text).toContain("primary_conninfo = 'host=127.0.0.32 port=5432 user=replicator application_name=127.0.0.33:5432'\nrestore_command = 'cp /var/tmp/wal/%f %p'");
    expect(argvOf(plan, "switch-wal").slice(-1)).toEqual(["SELECT pg_switch_wal()"]);
  });

  it("waits for the archiver and reports its failures", () => {
    const plan = planOf(compilePlan(warmStandby, SEED, seedWarm));
    const a = (o: object) => JSON.stringify({ archived_count: 0, last_archived_wal: null, failed_count: 0, last_failed_wal: null, failing: false, ...o });
    expect(verdict(warmStandby, plan, "archived", a({ archived_count: 3, last_archived_wal: "00000001000000000000000A" }))).toEqual({ ok: true });
    expect(verdict(warmStandby, plan, "archived", a({ failed_count: 2, last_failed_wal: "00000001000000000000000A", failing: true }))).toMatchObject({ ok: false, reason: expect.stringContaining("archive_command fails (last on 00000001000000000000000A)") });
    expect(verdict(warmStandby, plan, "arrived", "00000001000000000000000A\n00000001000000000000000B\n")).toEqual({ ok: true });
    expect(verdict(warmStandby, plan, "arrived", "")).toMatchObject({ ok: false });
  });
});
