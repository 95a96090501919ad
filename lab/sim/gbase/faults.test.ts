// Faults from lab/faults/gbase.ts as the procedure would meet them.
import { describe, expect, it } from "vitest";
import { flushProgress } from "../../../lib/engines/gbase/snapshot-id";
import { closeGcware, hangFlush, openGcware, refuseOpen } from "../../faults/gbase";
import { FLUSH_DURATION_MS } from "./gcware-model";
import { COORDINATORS, HOSTS, gcadminStatus, listSnapshots, makeLab } from "./testing";

const FLUSH = ["-c", "import gcware; print(gcware.flush_statemachine())"];
const [c1, c2, c3] = COORDINATORS;

function gcwareOnlyLab() {
  const lab = makeLab({ version: "V952" });
  for (const host of HOSTS) lab.gclusterServices(host, "all", "stop");
  for (const host of HOSTS) lab.gclusterServices(host, "gcware", "start");
  return lab;
}

describe("a closed gcware", () => {
  it("shows CLOSE in gcadmin and does not flush while the others do", () => {
    const lab = gcwareOnlyLab();
    closeGcware(lab.stateDir, c3.name);
    const status = gcadminStatus(lab.gcadmin(c1.ip));
    expect(status.coordinators.rows.map((r) => r.gcware)).toEqual(["OPEN", "OPEN", "CLOSE"]);
    // gcadmin reaches any running gcware, so it also answers on the node whose gcware is down.
    expect(gcadminStatus(lab.gcadmin(c3.ip))).toEqual(status);

    const before = listSnapshots(lab.baseOf(c3.name));
    expect(lab.python(c1.ip, FLUSH).stdout).toBe("1\n");
    lab.advance(FLUSH_DURATION_MS);
    lab.settle();
    expect(flushProgress(null, listSnapshots(lab.baseOf(c1.name)))).toBe("completed");
    const after = listSnapshots(lab.baseOf(c3.name));
    expect(after).toEqual(before);
    expect(flushProgress(before.newest, after)).toBe("not-started");
  });

  it("answers 0 to a flush sent through it", () => {
    const lab = gcwareOnlyLab();
    closeGcware(lab.stateDir, c2.ip);
    expect(lab.python(c2.ip, FLUSH)).toEqual({ code: 0, stdout: "0\n", stderr: "" });
  });
});

describe("a gcware that will not open", () => {
  it("prints [FAILED], exits 1 and stays CLOSE until the fault is lifted or forced open", () => {
    const lab = makeLab({ version: "V953" });
    for (const host of HOSTS) lab.gcwareServices(host, "gcware", "stop");
    refuseOpen(lab.stateDir, c2.name);
    for (const host of [c1.ip, c3.ip]) expect(lab.gcwareServices(host, "gcware", "start").code).toBe(0);
    const refused = lab.gcwareServices(c2.ip, "gcware", "start");
    expect(refused).toEqual({ code: 1, stdout: "Starting gcware :                                          [FAILED]\n", stderr: "" });
    expect(gcadminStatus(lab.gcadmin(c1.ip)).coordinators.rows.map((r) => r.gcware)).toEqual(["OPEN", "CLOSE", "OPEN"]);
    openGcware(lab.stateDir, c2.name);
    expect(gcadminStatus(lab.gcadmin(c1.ip)).coordinators.rows.every((r) => r.gcware === "OPEN")).toBe(true);
  });
});

describe("a flush that hangs", () => {
  it("leaves the `.s` directory however long one waits, until released", () => {
    const lab = gcwareOnlyLab();
    hangFlush(lab.stateDir, c3.name);
    lab.python(c2.ip, FLUSH);
    lab.advance(100 * FLUSH_DURATION_MS);
    lab.settle();
    expect(flushProgress(null, listSnapshots(lab.baseOf(c1.name)))).toBe("completed");
    const stuck = listSnapshots(lab.baseOf(c3.name));
    expect(stuck.inProgress).toHaveLength(1);
    expect(stuck.newest).toEqual({ term: 143 - 1, index: 37975 });
    hangFlush(lab.stateDir, c3.name, false);
    lab.settle();
    expect(listSnapshots(lab.baseOf(c3.name)).inProgress).toEqual([]);
  });

  it("a gcware stopped mid-flush leaves its `.s` behind; the next completed flush clears it", () => {
    const lab = gcwareOnlyLab();
    lab.python(c1.ip, FLUSH);
    lab.gclusterServices(c3.ip, "gcware", "stop");
    lab.advance(FLUSH_DURATION_MS);
    lab.settle();
    expect(listSnapshots(lab.baseOf(c3.name)).inProgress).toHaveLength(1);
    lab.gclusterServices(c3.ip, "gcware", "start");
    lab.python(c1.ip, FLUSH);
    lab.advance(FLUSH_DURATION_MS);
    lab.settle();
    const cleared = listSnapshots(lab.baseOf(c3.name));
    expect(cleared.inProgress).toEqual([]);
    expect(cleared.newest?.term).toBe(143);
  });
});
