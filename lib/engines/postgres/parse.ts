// psql's one line of JSON → typed replication state. Garbled output is an error value naming the line.
import { z } from "zod";

const lsn = z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, "an LSN such as 0/3000060");
const num = z.number();

const archiverSchema = z.object({
  archived_count: num,
  last_archived_wal: z.string().nullable(),
  last_archived_time: z.string().nullable(),
  failed_count: num,
  last_failed_wal: z.string().nullable(),
  last_failed_time: z.string().nullable(),
});

const commonShape = {
  server_version_num: z.number().int(),
  in_recovery: z.boolean(),
  checkpoint_timeline: z.number().int().nullable(),
  archiver: archiverSchema.nullable(),
};

export const replicationRowSchema = z.object({
  pid: z.number().int(),
  application_name: z.string().nullable(),
  client_addr: z.string().nullable(),
  state: z.string().nullable(),
  sent_lsn: lsn.nullable(),
  write_lsn: lsn.nullable(),
  flush_lsn: lsn.nullable(),
  replay_lsn: lsn.nullable(),
  sync_state: z.string().nullable(),
  replay_lag_bytes: num.nullable(),
  replay_lag_seconds: num.nullable(),
});
export type ReplicationRow = z.infer<typeof replicationRowSchema>;

export const slotSchema = z.object({
  slot_name: z.string(),
  slot_type: z.string(),
  active: z.boolean(),
  restart_lsn: lsn.nullable(),
  retained_bytes: num.nullable(),
});
export type Slot = z.infer<typeof slotSchema>;

export const primaryStateSchema = z.object({
  ...commonShape,
  current_lsn: lsn.nullable(),
  current_timeline: z.number().int().nullable(),
  replication: z.array(replicationRowSchema),
  slots: z.array(slotSchema),
});
export type PrimaryState = z.infer<typeof primaryStateSchema>;

export const walReceiverSchema = z.object({
  status: z.string().nullable(),
  received_tli: z.number().int().nullable(),
  flushed_lsn: lsn.nullable(),
  latest_end_lsn: lsn.nullable(),
  last_msg_receipt_time: z.string().nullable(),
  sender_host: z.string().nullable(),
  sender_port: z.number().int().nullable(),
});
export type WalReceiver = z.infer<typeof walReceiverSchema>;

export const standbyStateSchema = z.object({
  ...commonShape,
  receive_lsn: lsn.nullable(),
  replay_lsn: lsn.nullable(),
  replay_lag_bytes: num.nullable(),
  last_replay_time: z.string().nullable(),
  replay_lag_seconds: num.nullable(),
  wal_receiver: walReceiverSchema.nullable(),
});
export type StandbyState = z.infer<typeof standbyStateSchema>;

export type ParseError = { message: string; line: string; lineNumber: number };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

function parseJsonLine<T>(text: string, schema: z.ZodType<T>): ParseResult<T> {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => l.trim() !== "");
  const line = lines[index] ?? "";
  if (index < 0) return { ok: false, error: { message: "psql printed nothing", line: "", lineNumber: 0 } };
  const extra = lines.findIndex((l, i) => i > index && l.trim() !== "");
  if (extra >= 0) return { ok: false, error: { message: "expected one line of JSON", line: lines[extra] ?? "", lineNumber: extra + 1 } };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: { message: `not JSON (${error instanceof Error ? error.message : String(error)})`, line, lineNumber: index + 1 } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { message: `${issue?.path.join(".") || "value"}: ${issue?.message ?? "invalid"}`, line, lineNumber: index + 1 } };
  }
  return { ok: true, value: parsed.data };
}

export const parsePrimaryState = (text: string): ParseResult<PrimaryState> => parseJsonLine(text, primaryStateSchema);
export const parseStandbyState = (text: string): ParseResult<StandbyState> => parseJsonLine(text, standbyStateSchema);

/** The archiver is failing now when its last failure is newer than its last success. */
export function archiverFailing(a: z.infer<typeof archiverSchema> | null): boolean {
  if (!a || !a.last_failed_time) return false;
  return !a.last_archived_time || Date.parse(a.last_failed_time) > Date.parse(a.last_archived_time);
}
