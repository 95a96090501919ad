import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFixture } from "./fixtures";
import { parseGcwareListing, parseGcwareSnapshots } from "./parse-snapshots";
import { renderGcwareListing } from "./render";
import { compareSnapshotIds, flushProgress, isNewerSnapshot } from "./snapshot-id";
import { snapshotPanelRow } from "./snapshot-panel";

const parsed = (text: string) => {
  const r = parseGcwareSnapshots(text);
  if (!r.ok) throw new Error(`${r.error.message} at ${r.error.lineNumber}: ${r.error.line}`);
  return r.value;
};
const snapshotsOf = (text: string) => parsed(text).snapshots;

describe("the seed's `ll` of $GCWARE_BASE/data/gcware", () => {
  const seed = readFixture("llAfterFlush");

  it("finds both snapshots, the newest, and 320-byte REDOLOGs", () => {
    const { snapshots, warnings } = parsed(seed);
    expect(warnings).toEqual([]);
    expect(snapshots.listing.format).toBe("long");
    expect(snapshots.listing.totalBlocks).toBe(16);
    expect(snapshots.snapshots.map((s) => s.name)).toEqual(["SNAPSHOT.142.37977", "SNAPSHOT.142.37975"]);
    expect(snapshots.newest).toEqual({ term: 142, index: 37977 });
    expect(snapshots.inProgress).toEqual([]);
    expect(snapshots.redologs).toEqual([
      { name: "REDOLOG.37975", index: 37975, sizeBytes: 320 },
      { name: "REDOLOG.37977", index: 37977, sizeBytes: 320 },
    ]);
    expect(snapshots.unknownNames).toEqual([]);
  });

  it("keeps every long-format field and renders back byte for byte", () => {
    const r = parseGcwareListing(seed);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.entries[0]).toEqual({
      name: "GCWARE_META.A",
      long: { mode: "-rw-r--r--.", links: 1, owner: "gbase", group: "gbase", sizeBytes: 49, modified: "Dec 23 16:19" },
    });
    expect(r.value.entries[5]?.long?.mode).toBe("drwxr-xr-x.");
    expect(renderGcwareListing(r.value)).toBe(seed);
  });
});

describe("snapshot ordering", () => {
  it("compares term numerically before index (term 10 beats term 9)", () => {
    const s = snapshotsOf("SNAPSHOT.9.99999\nSNAPSHOT.10.1\nSNAPSHOT.2.5\n");
    expect(s.newest).toEqual({ term: 10, index: 1 });
    expect(s.snapshots.map((x) => x.name)).toEqual(["SNAPSHOT.10.1", "SNAPSHOT.9.99999", "SNAPSHOT.2.5"]);
  });

  it("compares index numerically on a term tie (index 100 beats index 99)", () => {
    expect(snapshotsOf("SNAPSHOT.142.99  SNAPSHOT.142.100  SNAPSHOT.142.9\n").newest).toEqual({ term: 142, index: 100 });
  });

  it("ignores a `.s` directory for newest, reports it in progress, and sorts it after its completed twin", () => {
    const s = snapshotsOf("SNAPSHOT.142.37977.s\nSNAPSHOT.142.37975\nSNAPSHOT.142.37977\n");
    expect(s.newest).toEqual({ term: 142, index: 37977 });
    expect(s.inProgress).toEqual([{ term: 142, index: 37977 }]);
    expect(s.snapshots.map((x) => x.name)).toEqual(["SNAPSHOT.142.37977", "SNAPSHOT.142.37977.s", "SNAPSHOT.142.37975"]);
  });

  it("has no newest when only a `.s` exists, and handles leading zeros as numbers", () => {
    expect(snapshotsOf("SNAPSHOT.3.7.s\n").newest).toBeNull();
    expect(snapshotsOf("SNAPSHOT.010.5\nSNAPSHOT.9.6\n").newest).toEqual({ term: 10, index: 5 });
  });

  it("picks the numeric maximum of (term, index) from any listing order (property)", () => {
    const id = fc.record({ term: fc.nat({ max: 10_000 }), index: fc.nat({ max: 10_000_000 }), inProgress: fc.boolean() });
    fc.assert(
      fc.property(fc.array(id, { minLength: 1, maxLength: 12 }), (ids) => {
        const text = ids.map((s) => `SNAPSHOT.${s.term}.${s.index}${s.inProgress ? ".s" : ""}\n`).join("");
        const done = ids.filter((s) => !s.inProgress);
        const expected = done.length === 0 ? null : done.reduce((a, b) => (b.term > a.term || (b.term === a.term && b.index > a.index) ? b : a));
        expect(snapshotsOf(text).newest).toEqual(expected && { term: expected.term, index: expected.index });
        expect(snapshotsOf(text).inProgress).toHaveLength(ids.length - done.length);
      }),
    );
  });

  it("decides flush progress the way the seed's step 3 does", () => {
    const before = { term: 142, index: 37975 };
    expect(flushProgress(before, snapshotsOf("SNAPSHOT.142.37975\nSNAPSHOT.142.37976.s\n"))).toBe("in-progress");
    expect(flushProgress(before, snapshotsOf("SNAPSHOT.142.37975\nSNAPSHOT.142.37976\n"))).toBe("completed");
    expect(flushProgress(before, snapshotsOf("SNAPSHOT.143.2\n"))).toBe("completed");
    expect(flushProgress(before, snapshotsOf("SNAPSHOT.142.37975\n"))).toBe("not-started");
    expect(isNewerSnapshot({ term: 1, index: 1 }, null)).toBe(true);
    expect(compareSnapshotIds({ term: 5, index: 5 }, { term: 5, index: 5 })).toBe(0);
  });
});

describe("listing formats and damage", () => {
  it("reads columns of plain `ls` on a terminal, `ls -F` slashes and `ls -la` dot entries", () => {
    const s = snapshotsOf("GCWARE_META.A  REDOLOG.37975        SNAPSHOT.142.37975/\nGCWARE_META.B  SNAPSHOT.141.1/  .  ..\n");
    expect(s.newest).toEqual({ term: 142, index: 37975 });
    expect(s.redologs).toEqual([{ name: "REDOLOG.37975", index: 37975, sizeBytes: null }]);
  });

  it("reads long-iso times and a Chinese-locale date", () => {
    const s = snapshotsOf(
      "drwxr-xr-x 3 gbase gbase 69 2026-11-23 10:00 SNAPSHOT.1.2\n-rw-r--r-- 1 gbase gbase 8389120 12月 23 16:19 REDOLOG.2\n",
    );
    expect(s.newest).toEqual({ term: 1, index: 2 });
    expect(s.redologs[0]?.sizeBytes).toBe(8389120);
  });

  it("keeps and flags unknown names and wrong entry types", () => {
    const r = parseGcwareSnapshots(
      "total 4\n-rw-r--r--. 1 gbase gbase 10 Dec 23 16:19 core.1234\n-rw-r--r--. 1 gbase gbase 10 Dec 23 16:19 SNAPSHOT.1.1\n",
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.snapshots.unknownNames).toEqual(["core.1234"]);
    expect(r.value.warnings.map((w) => [w.kind, w.lineNumber])).toEqual([
      ["unknown-entry", 2],
      ["unexpected-type", 3],
    ]);
  });

  it.each([
    ["a truncated ls -l line", "total 16\n-rw-r--r--. 1 gbase gbase  49 Dec 23 16:19 GCWARE_META.A\ndrwxr-xr-x. 3 gbase gb", 3],
    ["an ls error", "ls: cannot access /opt/gcware/data/gcware: No such file or directory\n", 1],
    ["a long line among short ones", "SNAPSHOT.1.1\n-rw-r--r--. 1 gbase gbase\n", 2],
  ])("names the offending line for %s", (_label, text, lineNumber) => {
    const r = parseGcwareSnapshots(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.lineNumber).toBe(lineNumber);
      expect(r.error.line).toBe(text.split("\n")[lineNumber - 1]);
    }
  });
});

describe("snapshotPanelRow (the snapshot version panel, one node)", () => {
  it("reads the seed's listing: newest by term then index, REDOLOG sizes, no flush in progress", () => {
    expect(snapshotPanelRow("coordinator1", "gb1", readFixture("llAfterFlush"))).toEqual({
      node: "coordinator1",
      host: "gb1",
      newest: "142.37977",
      inProgress: [],
      redologs: [
        { name: "REDOLOG.37975", sizeBytes: 320 },
        { name: "REDOLOG.37977", sizeBytes: 320 },
      ],
      error: null,
      flags: [],
    });
  });

  it("shows a `.s` directory as a flush in progress and a garbled listing as the row's error", () => {
    const writing = `${readFixture("llAfterFlush")}drwxr-xr-x. 3 gbase gbase  69 Dec 23 16:20 SNAPSHOT.143.2.s\n`;
    expect(snapshotPanelRow("c", null, writing)).toMatchObject({ newest: "142.37977", inProgress: ["143.2"] });
    expect(snapshotPanelRow("c", null, "ls: cannot access '/x': No such file or directory\n")).toMatchObject({ newest: null, error: expect.stringMatching(/^ls of the gcware data directory output unreadable at line 1/) });
  });
});
