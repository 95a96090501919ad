import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGcadmin } from "./parse-gcadmin";
import { parseGcwareListing } from "./parse-snapshots";
import { COORDINATOR_COLUMNS, COORDINATOR_TITLE, DATA_COLUMNS, DATA_TITLE, renderGcadmin, renderGcwareListing } from "./render";
import type { GcadminStatus, GcwareListing } from "./types";

const token = fc.stringMatching(/^[A-Za-z0-9.:-]{1,16}$/);
const unknownOf = (isKnown: (s: string) => boolean) => token.filter((s) => !isKnown(s)).map((unknown) => ({ unknown }));
const isCount = (s: string) => /^\d{1,15}$/.test(s);
const serviceState = fc.oneof(fc.constant("OPEN" as const), fc.constant("CLOSE" as const), unknownOf((s) => s === "OPEN" || s === "CLOSE"));
const count = fc.oneof(fc.nat({ max: 1_000_000 }), unknownOf(isCount));
const extraColumnNames = (known: readonly string[]) =>
  fc.uniqueArray(token.filter((c) => !known.includes(c)), { maxLength: 2 });
const extraCells = (columns: string[]) =>
  fc.tuple(...columns.map(() => fc.oneof(token, fc.constant("")))).map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""])));

const coordinators = extraColumnNames(COORDINATOR_COLUMNS).chain((extraColumns) =>
  fc.record({
    extraColumns: fc.constant(extraColumns),
    rows: fc.array(
      fc.record({ name: token, ip: token, gcware: serviceState, gcluster: serviceState, dataState: count, extra: extraCells(extraColumns) }),
      { maxLength: 5 },
    ),
  }),
);
const dataNodes = extraColumnNames(DATA_COLUMNS).chain((extraColumns) =>
  fc.record({
    extraColumns: fc.constant(extraColumns),
    rows: fc.array(
      fc.record({
        name: token,
        ip: token,
        distributionId: count,
        gnode: serviceState,
        syncserver: serviceState,
        dataState: count,
        extra: extraCells(extraColumns),
      }),
      { maxLength: 5 },
    ),
  }),
);
const otherTable = fc
  .tuple(fc.stringMatching(/^[A-Z]{1,8}( [A-Z]{1,8}){0,4}$/), fc.uniqueArray(token, { minLength: 1, maxLength: 3 }))
  .filter(([title]) => title !== COORDINATOR_TITLE && title !== DATA_TITLE)
  .chain(([title, headers]) =>
    fc.record({
      title: fc.constant(title),
      headers: fc.constant(headers),
      rows: fc.array(fc.tuple(...headers.map(() => fc.oneof(token, fc.constant("")))), { maxLength: 3 }),
    }),
  );

const gcadminStatus: fc.Arbitrary<GcadminStatus> = fc.record({
  clusterState: fc.oneof(fc.constant("ACTIVE" as const), unknownOf((s) => s === "ACTIVE")),
  virtualClusterMode: fc.oneof(fc.constant("NORMAL" as const), unknownOf((s) => s === "NORMAL")),
  extraFields: fc.array(
    fc.record({
      key: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}( [A-Z0-9_]{1,10}){0,2}$/).filter((k) => k !== "CLUSTER STATE" && k !== "VIRTUAL CLUSTER MODE"),
      value: fc.oneof(token, fc.constant("")),
    }),
    { maxLength: 2 },
  ),
  coordinators,
  dataNodes,
  otherTables: fc.array(otherTable, { maxLength: 2 }),
});

const modified = fc.constantFrom("Dec 23 16:19", "Dec  3 16:19", "Dec 23  2016", "12月 23 16:19", "2026-11-23 10:00", "2026-11-23 10:00:01.123456789 +0800");
const longEntry = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/),
  long: fc.record({
    mode: fc.stringMatching(/^[-dl][-rwx]{9}[.+]?$/),
    links: fc.nat({ max: 99 }),
    owner: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/),
    group: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/),
    sizeBytes: fc.nat({ max: 2 ** 40 }),
    modified,
  }),
});
const listing: fc.Arbitrary<GcwareListing> = fc.oneof(
  fc.record({
    format: fc.constant("long" as const),
    totalBlocks: fc.option(fc.nat({ max: 100000 }), { nil: null }),
    entries: fc.array(longEntry, { maxLength: 8 }),
  }),
  fc.record({
    format: fc.constant("short" as const),
    totalBlocks: fc.constant(null),
    entries: fc.array(
      fc.record({ name: fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/), long: fc.constant(null) }),
      { minLength: 1, maxLength: 8 },
    ),
  }),
);

describe("parse(render(state)) == state", () => {
  it("holds for gcadmin status", () => {
    fc.assert(
      fc.property(gcadminStatus, (status) => {
        const r = parseGcadmin(renderGcadmin(status));
        if (!r.ok) throw new Error(`${r.error.message} @${r.error.lineNumber}: ${r.error.line}`);
        expect(r.value.status).toEqual(status);
      }),
      { numRuns: 300 },
    );
  });

  it("holds for gcware directory listings", () => {
    fc.assert(
      fc.property(listing, (l) => {
        const r = parseGcwareListing(renderGcwareListing(l));
        if (!r.ok) throw new Error(`${r.error.message} @${r.error.lineNumber}: ${r.error.line}`);
        // An empty long listing without a `total` line prints nothing, which reads back as short.
        const expected = l.format === "long" && l.entries.length === 0 && l.totalBlocks === null ? { ...l, format: "short" } : l;
        expect(r.value).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
