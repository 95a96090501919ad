// The helper that finishes a requested flush on time with no further simulator invocation.
import { describe, expect, it } from "vitest";
import { hangFlush } from "../../faults/gbase";
import { completeFlushes, nextFlushDueMs } from "./flush-completer";
import { FLUSH_DURATION_MS } from "./gcware-model";
import { settle } from "./store";
import { COORDINATORS, listSnapshots, makeLab } from "./testing";

describe("flush completer", () => {
  it("knows when the next flush is due, ignoring hung ones, and settles the state then", async () => {
    const lab = makeLab({ version: "V952" });
    expect(nextFlushDueMs(lab.settle())).toBeNull();
    // Set before the request: the fault module settles at the wall clock, later than the lab's.
    hangFlush(lab.stateDir, "coordinator2");
    expect(lab.python(COORDINATORS[0].ip, ["-c", "import gcware; print(gcware.flush_statemachine())"]).stdout).toBe("1\n");
    const due = nextFlushDueMs(lab.settle());
    expect(due).toBe(lab.clock.nowMs + FLUSH_DURATION_MS);

    // A clock that has passed the due time: one settle finishes every flush that can finish.
    await completeFlushes(lab.stateDir, () => (due ?? 0) + 1);
    expect(listSnapshots(lab.baseOf("coordinator1")).inProgress).toEqual([]);
    expect(listSnapshots(lab.baseOf("coordinator2")).inProgress).toHaveLength(1);
    expect(nextFlushDueMs(settle(lab.stateDir, (due ?? 0) + 1))).toBeNull();
  });
});
