// The seed's whole procedure (002, steps 2 and 3) against a simulated cluster, observed only through
// tool output and `ls -l`, parsed with Keel's parsers. The clock is the lab's, advanced explicitly.
import { describe, expect, it } from "vitest";
import { flushRequestSent, parseFlushReplies } from "../../../lib/engines/gbase/parse-python";
import { parseServiceActions } from "../../../lib/engines/gbase/parse-services";
import { flushProgress } from "../../../lib/engines/gbase/snapshot-id";
import type { SnapshotId } from "../../../lib/engines/gbase/types";
import { FLUSH_DURATION_MS } from "./gcware-model";
import { GCWARE_UNREACHABLE } from "./gcadmin";
import { COORDINATORS, HOSTS, gcadminStatus, listSnapshots, makeLab, type Lab } from "./testing";

const FLUSH_SCRIPT = ["-c", "import gcware; print(gcware.flush_statemachine())"];

type VersionedLab = Lab & { version: "V952" | "V953" };

/** Seed step 2(1). On V953 gcware is not among gcluster_services' services, so it is stopped on its own. */
function stopEverything(lab: VersionedLab) {
  for (const host of HOSTS) {
    const r = lab.gclusterServices(host, "all", "stop");
    expect(r.code).toBe(0);
    const parsed = parseServiceActions(r.stdout);
    expect(parsed.ok && parsed.value.actions.every((a) => a.verb === "Stopping" && a.outcome === "OK")).toBe(true);
    if (lab.version === "V953") expect(lab.gcwareServices(host, "gcware", "stop").code).toBe(0);
  }
  expect(lab.gcadmin(HOSTS[0]).stderr).toBe(GCWARE_UNREACHABLE);
}

function startGcwareOnly(lab: VersionedLab, host: string) {
  const r = lab.version === "V952" ? lab.gclusterServices(host, "gcware", "start") : lab.gcwareServices(host, "gcware", "start");
  expect(r).toEqual({ code: 0, stdout: "Starting gcware :                                          [  OK  ]\n", stderr: "" });
}

function newestPerNode(lab: VersionedLab): Map<string, SnapshotId | null> {
  return new Map(COORDINATORS.map((c) => [c.name, listSnapshots(lab.baseOf(c.name)).newest]));
}

describe.each(["V952", "V953"] as const)("the seed's flush procedure on %s", (version) => {
  it("stop all → start only gcware → all OPEN → flush → newer snapshots, no .s, small REDOLOGs → stop gcware", () => {
    const lab = { ...makeLab({ version }), version };
    stopEverything(lab);
    const before = newestPerNode(lab);
    expect([...before.values()]).toEqual([{ term: 142, index: 37975 }, { term: 142, index: 37975 }, { term: 142, index: 37975 }]);

    for (const host of HOSTS) startGcwareOnly(lab, host);
    const status = gcadminStatus(lab.gcadmin(HOSTS[1]));
    expect(status.coordinators.rows.map((r) => [r.name, r.gcware, r.gcluster])).toEqual(COORDINATORS.map((c) => [c.name, "OPEN", "CLOSE"]));
    expect(status.dataNodes.rows.every((r) => r.gnode === "CLOSE" && r.syncserver === "CLOSE")).toBe(true);

    const reply = lab.python(HOSTS[0], FLUSH_SCRIPT);
    expect(reply).toEqual({ code: 0, stdout: "1\n", stderr: "" });
    const replies = parseFlushReplies(reply.stdout);
    expect(replies.ok && flushRequestSent(replies.value)).toBe(true);

    // Right after the request every node is still writing its snapshot (seed, step 3(2)).
    lab.settle();
    for (const c of COORDINATORS) expect(flushProgress(before.get(c.name) ?? null, listSnapshots(lab.baseOf(c.name)))).toBe("in-progress");

    lab.advance(FLUSH_DURATION_MS);
    lab.settle();
    for (const c of COORDINATORS) {
      const after = listSnapshots(lab.baseOf(c.name));
      expect(flushProgress(before.get(c.name) ?? null, after)).toBe("completed");
      expect(after.inProgress).toEqual([]);
      // All were stopped, so the restart began a new term.
      expect(after.newest?.term).toBe(143);
      expect(after.redologs.map((r) => r.sizeBytes)).toEqual([320, 320]);
      expect(after.snapshots).toHaveLength(2);
    }

    for (const host of HOSTS) {
      const stop = version === "V952" ? lab.gclusterServices(host, "gcware", "stop") : lab.gcwareServices(host, "gcware", "stop");
      expect(stop.stdout).toBe("Stopping gcware :                                          [  OK  ]\n");
    }
    expect(lab.gcadmin(HOSTS[2]).code).toBe(1);
  });
});

describe("version-dependent gcware commands", () => {
  it("V953 rejects `gcluster_services gcware start` and its `all` leaves gcware alone", () => {
    const lab = makeLab({ version: "V953" });
    for (const host of HOSTS) lab.gcwareServices(host, "gcware", "stop");
    const wrong = lab.gclusterServices(HOSTS[0], "gcware", "start");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("Usage: gcluster_services {gcluster|gcrecover|gbase|syncserver|all} {start|stop|restart|status|info}\n");
    expect(lab.gcadmin(HOSTS[0]).stderr).toBe(GCWARE_UNREACHABLE);
    const all = lab.gclusterServices(HOSTS[0], "all", "stop");
    expect(all.stdout).not.toContain("gcware");
  });

  it("V952 has no gcware_services", () => {
    const lab = makeLab({ version: "V952" });
    expect(lab.gcwareServices(HOSTS[0], "gcware", "start")).toEqual({ code: 127, stdout: "", stderr: "bash: gcware_services: command not found\n" });
  });

  it("other services cannot start without a running gcware, and status reports LSB codes", () => {
    const lab = makeLab({ version: "V952" });
    for (const host of HOSTS) lab.gclusterServices(host, "all", "stop");
    const r = lab.gclusterServices(HOSTS[0], "gcluster", "start");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[FAILED]");
    expect(lab.gclusterServices(HOSTS[0], "gcware", "status")).toEqual({ code: 3, stdout: "gcware is stopped\n", stderr: "" });
    lab.gclusterServices(HOSTS[0], "gcware", "start");
    expect(lab.gclusterServices(HOSTS[0], "gcware", "status").code).toBe(0);
    expect(lab.gclusterServices(HOSTS[0], "gcware", "bounce").code).toBe(1);
  });
});
