import { z } from "zod";

/** Where a parser gave up: the message, the offending line's text and its 1-based number. */
export const ParseErrorSchema = z.object({
  message: z.string(),
  line: z.string(),
  lineNumber: z.number().int().nonnegative(),
});
export type ParseError = z.infer<typeof ParseErrorSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

/** Something the parser accepted but did not recognise (unknown status, extra column, duplicate key…). */
export const ParseWarningSchema = z.object({
  message: z.string(),
  lineNumber: z.number().int().nonnegative(),
});
export type ParseWarning = z.infer<typeof ParseWarningSchema>;

export function parseError(message: string, line: string, lineNumber: number): { ok: false; error: ParseError } {
  return { ok: false, error: { message, line, lineNumber } };
}

// ---------------------------------------------------------------------------------------------
// cmrctl show all
// ---------------------------------------------------------------------------------------------

export const CM_RESOURCE_TYPES = ["network", "cluster", "file", "service", "db", "group", "agent"] as const;
export type CmResourceType = (typeof CM_RESOURCE_TYPES)[number];

/** Statuses the seed prints, plus the db modes a TAC instance passes through on boot. */
export const CM_KNOWN_STATUSES = ["UP", "DOWN", "UP(NRML)", "UP(MNT)", "UP(NOMT)"] as const;

export const CmResourceSchema = z.object({
  cluster: z.string().min(1),
  type: z.string().min(1),
  name: z.string().min(1),
  status: z.string().min(1),
  detail: z.string(),
  /** Columns the seed's table does not have, by header name. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type CmResource = z.infer<typeof CmResourceSchema>;

export const CmNodeResourcesSchema = z.object({
  cmName: z.string().min(1),
  resources: z.array(CmResourceSchema),
});
export type CmNodeResources = z.infer<typeof CmNodeResourcesSchema>;

export const CmShowAllSchema = z.object({
  nodes: z.array(CmNodeResourcesSchema),
});
export type CmShowAll = z.infer<typeof CmShowAllSchema>;

export type CmShowAllParsed = CmShowAll & { warnings: ParseWarning[] };

/** The decoded meaning of a STATUS cell: `UP(NRML)` → up, mode NRML. */
export type CmStatusInfo =
  | { known: true; up: boolean; mode?: string }
  | { known: false; up: false; raw: string };

// ---------------------------------------------------------------------------------------------
// tip files ($TB_SID.tip, cm_$TB_SID.tip)
// ---------------------------------------------------------------------------------------------

export const SizeSchema = z.object({ bytes: z.number().int().nonnegative(), text: z.string() });
export type Size = z.infer<typeof SizeSchema>;

export const TipEntrySchema = z.object({
  key: z.string().min(1),
  /** The value with quotes removed. */
  value: z.string(),
  /** The value exactly as written between `=` and the comment. */
  raw: z.string(),
  quoted: z.boolean(),
  /** Present when the value is a size with a unit (2G, 512M, 8K…). */
  size: SizeSchema.optional(),
  /** Text after `#` on the same line, without the `#`. */
  comment: z.string().optional(),
  lineNumber: z.number().int().positive(),
});
export type TipEntry = z.infer<typeof TipEntrySchema>;

export const TipFileSchema = z.object({
  entries: z.array(TipEntrySchema),
  /** Comment-only and blank lines, kept so a file can be re-rendered line for line. */
  otherLines: z.array(z.object({ text: z.string(), lineNumber: z.number().int().positive() })),
});
export type TipFile = z.infer<typeof TipFileSchema>;
export type TipFileParsed = TipFile & { warnings: ParseWarning[] };

// ---------------------------------------------------------------------------------------------
// tbsql / tbboot / tbdown / tbcm transcripts
// ---------------------------------------------------------------------------------------------

export const TbsqlOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("database-created"), lineNumber: z.number() }),
  z.object({ kind: z.literal("database-altered"), lineNumber: z.number() }),
  z.object({ kind: z.literal("tablespace-created"), name: z.string(), lineNumber: z.number() }),
  z.object({ kind: z.literal("error"), code: z.number().int(), message: z.string(), lineNumber: z.number() }),
]);
export type TbsqlOutcome = z.infer<typeof TbsqlOutcomeSchema>;

export const TbbootOutcomeSchema = z.object({
  startedMode: z.string().optional(),
  listenerPort: z.string().optional(),
  errors: z.array(z.object({ code: z.number().int(), message: z.string(), lineNumber: z.number() })),
});
export type TbbootOutcome = z.infer<typeof TbbootOutcomeSchema>;
