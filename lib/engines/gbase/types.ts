import { z } from "zod";

/** Result of every GBase parser: garbled output is a value naming the line, never a throw. */
export type ParseError = { message: string; line: string; lineNumber: number };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = <T>(message: string, line: string, lineNumber: number): ParseResult<T> => ({
  ok: false,
  error: { message, line, lineNumber },
});

/** Decides which script manages gcware (seed 002, step 2(2)). */
export const gbaseVersionSchema = z.enum(["V952", "V953"]);
export type GbaseVersion = z.infer<typeof gbaseVersionSchema>;

/** A value the parser did not recognise, kept verbatim so nothing is lost (and flagged in warnings). */
export const unknownValueSchema = z.object({ unknown: z.string() });
export type UnknownValue = z.infer<typeof unknownValueSchema>;

export const serviceStateSchema = z.union([z.enum(["OPEN", "CLOSE"]), unknownValueSchema]);
export type ServiceState = z.infer<typeof serviceStateSchema>;

export const clusterStateSchema = z.union([z.literal("ACTIVE"), unknownValueSchema]);
export type ClusterState = z.infer<typeof clusterStateSchema>;

export const virtualClusterModeSchema = z.union([z.literal("NORMAL"), unknownValueSchema]);
export type VirtualClusterMode = z.infer<typeof virtualClusterModeSchema>;

export const dataStateSchema = z.union([z.number().int().nonnegative(), unknownValueSchema]);
export type DataState = z.infer<typeof dataStateSchema>;

/** Cells of columns this parser does not know, keyed by header; order is the table's extraColumns. */
const extraCellsSchema = z.record(z.string(), z.string());

export const coordinatorRowSchema = z.object({
  name: z.string().min(1),
  ip: z.string().min(1),
  gcware: serviceStateSchema,
  gcluster: serviceStateSchema,
  dataState: dataStateSchema,
  extra: extraCellsSchema,
});
export type CoordinatorRow = z.infer<typeof coordinatorRowSchema>;

export const dataNodeRowSchema = z.object({
  name: z.string().min(1),
  ip: z.string().min(1),
  distributionId: z.union([z.number().int().nonnegative(), unknownValueSchema]),
  gnode: serviceStateSchema,
  syncserver: serviceStateSchema,
  dataState: dataStateSchema,
  extra: extraCellsSchema,
});
export type DataNodeRow = z.infer<typeof dataNodeRowSchema>;

/** A box table whose title this parser does not know: kept as text cells. */
export const otherTableSchema = z.object({
  title: z.string().min(1),
  headers: z.array(z.string().min(1)).min(1),
  rows: z.array(z.array(z.string())),
});
export type OtherTable = z.infer<typeof otherTableSchema>;

export const gcadminStatusSchema = z.object({
  clusterState: clusterStateSchema,
  virtualClusterMode: virtualClusterModeSchema,
  /** `KEY: value` lines above the tables other than the two known ones. */
  extraFields: z.array(z.object({ key: z.string().min(1), value: z.string() })),
  coordinators: z.object({ extraColumns: z.array(z.string().min(1)), rows: z.array(coordinatorRowSchema) }),
  dataNodes: z.object({ extraColumns: z.array(z.string().min(1)), rows: z.array(dataNodeRowSchema) }),
  otherTables: z.array(otherTableSchema),
});
export type GcadminStatus = z.infer<typeof gcadminStatusSchema>;

export const parseWarningSchema = z.object({
  kind: z.enum(["unknown-value", "extra-column", "extra-field", "unknown-table", "unknown-entry", "unexpected-type"]),
  message: z.string(),
  lineNumber: z.number().int().positive(),
});
export type ParseWarning = z.infer<typeof parseWarningSchema>;

export type GcadminParse = { status: GcadminStatus; warnings: ParseWarning[] };

// ---- $GCWARE_BASE/data/gcware listings ----

/** One `ls -l` line; `ls` (short) lines carry only the name. */
export const longEntrySchema = z.object({
  mode: z.string().regex(/^[-dlcbps][-rwxsStT]{9}[.+@]?$/),
  links: z.number().int().nonnegative(),
  owner: z.string().min(1),
  group: z.string().min(1),
  sizeBytes: z.number().int().nonnegative(),
  modified: z.string().min(1),
});
export const listingEntrySchema = z.object({
  name: z.string().min(1).regex(/^\S+$/),
  long: longEntrySchema.nullable(),
});
export type ListingEntry = z.infer<typeof listingEntrySchema>;

export const gcwareListingSchema = z.object({
  format: z.enum(["long", "short"]),
  /** The `total N` line of `ls -l`, when present. */
  totalBlocks: z.number().int().nonnegative().nullable(),
  entries: z.array(listingEntrySchema),
});
export type GcwareListing = z.infer<typeof gcwareListingSchema>;

export const snapshotIdSchema = z.object({
  term: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
});
export type SnapshotId = z.infer<typeof snapshotIdSchema>;

export type SnapshotDir = SnapshotId & { name: string; inProgress: boolean };
export type RedoLog = { name: string; index: number; sizeBytes: number | null };

/** What the gcware data directory says about snapshots, derived from a listing. */
export type GcwareSnapshots = {
  listing: GcwareListing;
  /** Every SNAPSHOT.<term>.<index>[.s], newest first (completed before in-progress on ties). */
  snapshots: SnapshotDir[];
  /** Newest completed snapshot, or null when none exists. */
  newest: SnapshotId | null;
  /** `.s` directories: a flush still being written. */
  inProgress: SnapshotId[];
  redologs: RedoLog[];
  /** Names that are neither SNAPSHOT, REDOLOG nor GCWARE_META entries. */
  unknownNames: string[];
};

export type SnapshotsParse = { snapshots: GcwareSnapshots; warnings: ParseWarning[] };

// ---- service scripts and python ----

export const serviceActionLineSchema = z.object({
  verb: z.enum(["Starting", "Stopping"]),
  service: z.string().min(1),
  outcome: z.enum(["OK", "FAILED"]),
});
export type ServiceActionLine = z.infer<typeof serviceActionLineSchema>;
