// Typed shape of what machcoordinatoradmin / machdeployeradmin print (Machbase 6.5 Cluster Edition,
// seed 000). Values the seed does not name are kept as `{ unrecognized }` and listed as warnings, so a
// newer tool release degrades a row instead of breaking the whole status probe.
import { z } from "zod";

import {
  ADMIN_TOOLS,
  KNOWN_GROUP_STATES,
  KNOWN_NODE_STATES,
  KNOWN_NODE_TYPES,
  KNOWN_RP_STATES,
} from "./vocabulary";

export * from "./vocabulary";

export const UnrecognizedSchema = z.object({ unrecognized: z.string() });
export type Unrecognized = z.infer<typeof UnrecognizedSchema>;

export const NodeTypeSchema = z.union([z.enum(KNOWN_NODE_TYPES), UnrecognizedSchema]);
export const NodeStateSchema = z.union([z.enum(KNOWN_NODE_STATES), UnrecognizedSchema]);
export const GroupStateSchema = z.union([z.enum(KNOWN_GROUP_STATES), UnrecognizedSchema]);
export const RpStateSchema = z.union([z.enum(KNOWN_RP_STATES), UnrecognizedSchema]);

export type NodeType = z.infer<typeof NodeTypeSchema>;
export type NodeState = z.infer<typeof NodeStateSchema>;
export type GroupState = z.infer<typeof GroupStateSchema>;
export type RpState = z.infer<typeof RpStateSchema>;

export const EndpointSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/** One row of `--cluster-status-full` (the seed's table). */
export const StatusRowSchema = z.object({
  nodeType: NodeTypeSchema,
  nodeName: z.string().min(1),
  /** null when the node name is not `host:port` (kept, and warned about). */
  endpoint: EndpointSchema.nullable(),
  groupName: z.string().min(1),
  groupState: GroupStateSchema,
  desiredState: NodeStateSchema,
  actualState: NodeStateSchema,
  rpState: RpStateSchema,
  /** Cells of columns this parser does not know, in the order of `extraColumns`. */
  extra: z.array(z.string()),
});
export type StatusRow = z.infer<typeof StatusRowSchema>;

/** One row of `--cluster-status` (short form: a single State column). */
export const ShortStatusRowSchema = z.object({
  nodeType: NodeTypeSchema,
  nodeName: z.string().min(1),
  endpoint: EndpointSchema.nullable(),
  groupName: z.string().min(1),
  groupState: GroupStateSchema,
  state: NodeStateSchema,
  extra: z.array(z.string()),
});
export type ShortStatusRow = z.infer<typeof ShortStatusRowSchema>;

export const FullStatusTableSchema = z.object({
  layout: z.literal("full"),
  extraColumns: z.array(z.string()),
  rows: z.array(StatusRowSchema),
});
export const ShortStatusTableSchema = z.object({
  layout: z.literal("short"),
  extraColumns: z.array(z.string()),
  rows: z.array(ShortStatusRowSchema),
});
export const StatusTableSchema = z.discriminatedUnion("layout", [FullStatusTableSchema, ShortStatusTableSchema]);
export type FullStatusTable = z.infer<typeof FullStatusTableSchema>;
export type ShortStatusTable = z.infer<typeof ShortStatusTableSchema>;
export type StatusTable = z.infer<typeof StatusTableSchema>;

export const BannerSchema = z.object({
  /** e.g. "Machbase Coordinator Administration Tool" */
  title: z.string(),
  tool: z.union([z.enum(ADMIN_TOOLS), UnrecognizedSchema]),
  releaseVersion: z.string(),
  copyright: z.string(),
});
export type Banner = z.infer<typeof BannerSchema>;

/** A `Key : value` line (`Group Name: group1`, `Flag      : 1`, `Node-Name: …`, `Source:`, `Name  : …`). */
export const FieldSchema = z.object({ key: z.string(), value: z.string(), lineNumber: z.number().int() });
export type Field = z.infer<typeof FieldSchema>;

export const WarningSchema = z.object({ lineNumber: z.number().int(), message: z.string() });
export type Warning = z.infer<typeof WarningSchema>;

/** Everything one admin-tool invocation printed, in typed form. */
export const AdminOutputSchema = z.object({
  banner: BannerSchema.nullable(),
  /** Key/value lines in print order; blank lines split them into `records`. */
  fields: z.array(FieldSchema),
  records: z.array(z.array(FieldSchema)),
  tables: z.array(StatusTableSchema),
  /** Free text lines (e.g. "Coordinator started successfully."). */
  messages: z.array(z.string()),
  /** Lines the tool printed as errors (`[ERROR] …`). */
  errors: z.array(z.string()),
  warnings: z.array(WarningSchema),
});
export type AdminOutput = z.infer<typeof AdminOutputSchema>;

export const ConfigEntrySchema = z.object({ name: z.string(), value: z.string() });
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;

export type ParseError = { message: string; line: string; lineNumber: number };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export function isUnrecognized(value: unknown): value is Unrecognized {
  return typeof value === "object" && value !== null && "unrecognized" in value;
}
