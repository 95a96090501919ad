// The database-creation wizard's form: flat fields the form can render, turned into the input of
// planCreateDatabase. The plan's own rules run inside the schema, so a plan the seed forbids (MAXINSTANCES
// too small, a log group number used twice, a thread with one group) is refused field by field.
import { z } from "zod";

import { CreateDatabaseParamsSchema, planCreateDatabase, type CreateDatabaseParams, type ThreadFiles } from "../create-database-plan";

const shape = CreateDatabaseParamsSchema.shape;
const absolutePath = z.string().regex(/^\/[^\s']*$/, "an absolute path without blanks or quotes");

// `UNDO_FILE | GROUP:FILE, GROUP:FILE …` — one line per redo thread, thread 0 first.
const THREAD_LINE = /^\s*([^|\s]+)\s*\|\s*(.+?)\s*$/;
const GROUP_ITEM = /^\s*(\d{1,4})\s*:\s*(\S+)\s*$/;

export function parseThreadLine(line: string): ThreadFiles | string {
  const m = THREAD_LINE.exec(line);
  if (!m) return "write UNDO_FILE | GROUP:FILE, GROUP:FILE";
  const logGroups: ThreadFiles["logGroups"] = [];
  for (const item of (m[2] ?? "").split(",")) {
    const g = GROUP_ITEM.exec(item);
    if (!g) return `'${item.trim()}' is not GROUP:FILE`;
    logGroups.push({ group: Number(g[1]), file: g[2] ?? "" });
  }
  return { undoFile: m[1] ?? "", logGroups };
}

export const createDatabaseParameters = z
  .object({
    dbName: shape.dbName.meta({ label: "Database name (DB_NAME)", help: 'e.g. ac; the seed runs CREATE DATABASE "ac"' }),
    sysCredential: z.string().min(1, "choose the credential holding SYS's password").meta({
      label: "SYS password credential",
      help: "A stored credential; its secret is sent on stdin when tbsql runs, never on a command line or in the plan",
    }),
    instances: shape.instances.meta({ label: "Instances", help: "TAC instances that will use the database: one redo thread and undo tablespace each" }),
    maxInstances: shape.maxInstances.meta({ label: "MAXINSTANCES", help: "No instance can ever be added beyond it; choose with room to grow (the seed uses 8)" }),
    characterSet: shape.characterSet.meta({ label: "Character set", help: "e.g. MSWIN949, UTF8" }),
    storage: z.enum(["shared-fs", "raw-device"]).default("shared-fs").meta({ label: "Storage", help: "Shared file system or raw devices" }),
    dbCreateFileDest: absolutePath.optional().meta({
      label: "DB_CREATE_FILE_DEST",
      help: "As set in the tips on a shared file system; leave empty when it is not set (then SYSSUB is created first and every file needs an absolute path)",
    }),
    fileDir: shape.fileDir.meta({ label: "Directory for generated file names", help: "Empty: bare names, placed in DB_CREATE_FILE_DEST" }),
    logSize: shape.logSize.meta({ label: "Redo log size" }),
    logGroupsPerThread: shape.logGroupsPerThread.meta({ label: "Log groups per thread", help: "At least two; the seed uses three" }),
    undoSize: shape.undoSize.meta({ label: "Undo tablespace size" }),
    systemSize: shape.systemSize.meta({ label: "SYSTEM datafile size" }),
    tempSize: shape.tempSize.meta({ label: "TEMP tempfile size" }),
    maxDataFiles: shape.maxDataFiles.meta({ label: "MAXDATAFILES" }),
    maxLogFiles: shape.maxLogFiles.meta({ label: "MAXLOGFILES" }),
    maxLogMembers: shape.maxLogMembers.meta({ label: "MAXLOGMEMBERS" }),
    archiveLog: shape.archiveLog.meta({ label: "ARCHIVELOG" }),
    threadFiles: z
      .array(z.string())
      .optional()
      .meta({
        label: "Files per redo thread",
        help: "Optional (required on raw devices): one line per thread, thread 0 first: UNDO_FILE | GROUP:FILE, GROUP:FILE",
      }),
    syssubFile: z.string().min(1).optional().meta({ label: "SYSSUB datafile", help: "Default syssub001.dtf in the file directory" }),
    syssubSize: z.string().default("512M").meta({ label: "SYSSUB size" }),
    tbHome: absolutePath.optional().meta({ label: "TB_HOME of the first node", help: "Default: the cluster's TB_HOME setting; system.sh runs from $TB_HOME/scripts" }),
  })
  .superRefine((value, ctx) => {
    const input = planInput(value, value.tbHome ?? "/");
    if (typeof input === "string") return;
    const planned = planCreateDatabase(input);
    if (planned.ok) return;
    for (const r of planned.refusals) ctx.addIssue({ code: "custom", path: formPath(r.field), message: r.message });
  })
  .superRefine((value, ctx) => {
    (value.threadFiles ?? []).forEach((line, i) => {
      const parsed = parseThreadLine(line);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", path: ["threadFiles", i], message: parsed });
    });
  });

export type CreateDatabaseForm = z.output<typeof createDatabaseParameters>;

/** A refusal of planCreateDatabase named by the form's field. */
export function formPath(field: string): (string | number)[] {
  const thread = /^threads\[(\d+)\]/.exec(field);
  if (thread) return ["threadFiles", Number(thread[1])];
  if (field === "threads") return ["threadFiles"];
  if (field === "syssub.file") return ["syssubFile"];
  if (field === "syssub.size") return ["syssubSize"];
  if (field === "storage.dbCreateFileDest") return ["dbCreateFileDest"];
  return field.split(".");
}

/** The form → planCreateDatabase's input; a thread line that does not parse is reported by the schema. */
export function planInput(form: Omit<CreateDatabaseForm, "sysCredential" | "tbHome">, tbHome: string): CreateDatabaseParams | string {
  const threads: ThreadFiles[] = [];
  for (const line of form.threadFiles ?? []) {
    const parsed = parseThreadLine(line);
    if (typeof parsed === "string") return parsed;
    threads.push(parsed);
  }
  return {
    dbName: form.dbName,
    maxInstances: form.maxInstances,
    maxDataFiles: form.maxDataFiles,
    characterSet: form.characterSet,
    maxLogFiles: form.maxLogFiles,
    maxLogMembers: form.maxLogMembers,
    archiveLog: form.archiveLog,
    instances: form.instances,
    logSize: form.logSize,
    undoSize: form.undoSize,
    systemSize: form.systemSize,
    tempSize: form.tempSize,
    logGroupsPerThread: form.logGroupsPerThread,
    fileDir: form.fileDir,
    ...(form.threadFiles === undefined ? {} : { threads }),
    storage: form.storage === "raw-device" ? { kind: "raw-device" } : { kind: "shared-fs", ...(form.dbCreateFileDest === undefined ? {} : { dbCreateFileDest: form.dbCreateFileDest }) },
    syssub: { ...(form.syssubFile === undefined ? {} : { file: form.syssubFile }), size: form.syssubSize },
    tbHome,
  };
}
