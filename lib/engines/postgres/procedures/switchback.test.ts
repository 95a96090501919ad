import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { switchback } from "./switchback";
import { argvOf, outline, planOf, stdinOf, streaming11, streaming15 } from "./test-context.test-fixture";

describe("switchback", () => {
  it("stops the primary cleanly before anything is promoted, waits for full replay, then re-points the old primary", () => {
    const plan = planOf(compilePlan(switchback, { major: "15", primary: "127.0.0.33:5432", standby: "127.0.0.32:5432" }, streaming15));
    expect(outline(plan)).toEqual([
      "primary-version precheck @pg2",
      "standby-version precheck @pg1",
      "standby-streaming wait-until @pg1",
      "return-path precheck @pg2",
      "approve confirm",
      "stop-primary action @pg2",
      "replayed wait-until @pg1",
      "promote action @pg1",
      "promoted wait-until @pg1",
      "read-write verify @pg1",
      "slot action @pg1",
      "standby-config action @pg2",
      "start-old-primary action @pg2",
      "caught-up wait-until @pg2",
      "new-primary-streams verify @pg1",
    ]);
    expect(plan.requiresSecondDba).toBe(false);
    expect(argvOf(plan, "return-path")).toEqual(["/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-w", "-d", "host=127.0.0.32 port=5432 user=replicator dbname=replication replication=true connect_timeout=10", "-c", "IDENTIFY_SYSTEM"]);
  });

  it("11: pg_ctl promote, and the old primary gets a recovery.conf that follows the new timeline", () => {
    const plan = planOf(compilePlan(switchback, { major: "11", primary: "127.0.0.37:5432", standby: "127.0.0.36:5432" }, streaming11));
    expect(argvOf(plan, "promote").slice(1)).toEqual(["promote", "-w", "-t", "120"]);
    expect(stdinOf(plan, "standby-config")?.text).toBe(
      "standby_mode = 'on'\nprimary_conninfo = 'host=127.0.0.36 port=5432 user=replicator application_name=127.0.0.37:5432'\nprimary_slot_name = 'standby_127_0_0_37'\nrecovery_target_timeline = 'latest'\n",
    );
  });
});
