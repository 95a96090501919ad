import { z } from "zod";
import { MSG } from "./messages";
import { parseSize } from "./size";

// Seed 001 §15.5: creating a TAC database on one node — CREATE DATABASE (redo thread 0, UNDO0), then per
// further instance an undo tablespace, ≥ 2 log groups numbered uniquely across the database and the
// thread enabled, SYSSUB where TPR data would have no home, system.sh, then the other instances boot.

const sizeText = z.string().refine((s) => parseSize(s) !== undefined, "a size with a unit, e.g. 50M or 3G");
const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_$#]*$/, "a name of letters, digits and _");
const fileName = z.string().min(1).refine((s) => !s.includes("'"), "no single quotes in file names");

export const LogGroupSchema = z.object({ group: z.number().int().nonnegative(), file: fileName });
export type LogGroup = z.infer<typeof LogGroupSchema>;

/** Files of one redo thread (= one instance); thread i uses UNDO<i>. */
export const ThreadFilesSchema = z.object({ undoFile: fileName, logGroups: z.array(LogGroupSchema) });
export type ThreadFiles = z.infer<typeof ThreadFilesSchema>;

export const StorageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("raw-device") }),
  z.object({ kind: z.literal("shared-fs"), dbCreateFileDest: z.string().min(1).optional() }),
]);

export const CreateDatabaseParamsSchema = z.object({
  dbName: identifier,
  maxInstances: z.number().int().positive(),
  maxDataFiles: z.number().int().positive().default(256),
  characterSet: identifier,
  maxLogFiles: z.number().int().positive().default(100),
  maxLogMembers: z.number().int().positive().default(8),
  archiveLog: z.boolean().default(false),
  instances: z.number().int().positive(),
  logSize: sizeText.default("50M"),
  undoSize: sizeText.default("512M"),
  /** Default: `system001` in fileDir, as in the seed. */
  systemFile: fileName.optional(),
  systemSize: sizeText.default("512M"),
  tempFile: fileName.optional(),
  tempSize: sizeText.default("512M"),
  autoextend: z.object({ next: sizeText, maxSize: sizeText }).nullable().default({ next: "8M", maxSize: "3G" }),
  /** Log groups per thread when `threads` is not given (the seed uses 3). */
  logGroupsPerThread: z.number().int().positive().default(3),
  /**
   * Directory for generated file names. Empty = bare names, as in the seed: Tibero puts them in
   * DB_CREATE_FILE_DEST, so without it (or on raw devices) every file needs an absolute path.
   */
  fileDir: z.string().default(""),
  /** Explicit files per thread, index = thread; required on raw devices, where names are device paths. */
  threads: z.array(ThreadFilesSchema).optional(),
  storage: StorageSchema,
  /** Default file: `syssub001.dtf` in fileDir (the seed's name). */
  syssub: z.object({ file: fileName.optional(), size: sizeText.default("512M") }).optional(),
  /** $TB_HOME on the creating node: system.sh is `$TB_HOME/scripts/system.sh $TB_HOME/bin/tbsvr`. */
  tbHome: z.string().min(1),
});
export type CreateDatabaseParams = z.input<typeof CreateDatabaseParamsSchema>;
type Params = z.output<typeof CreateDatabaseParamsSchema>;

/** A plan the rules forbid, naming the parameter to change. */
export type PlanRefusal = { field: string; message: string };

/**
 * Stands for SYS's password in generated SQL. The password is never in argv or in a plan: it arrives as
 * the first stdin line (a credential) and TBSQL_AS_SYS puts it into the login and into these lines.
 */
export const SYS_PASSWORD_PLACEHOLDER = "{{SYS_PASSWORD}}";

// The first stdin line is the password; the rest is SQL, copied to tbsql with every placeholder line
// completed by shell parameter expansion (no sed/awk: the password may hold any character).
const TBSQL_AS_SYS_SCRIPT =
  'IFS= read -r pw || { echo "no SYS password on stdin" >&2; exit 2; }; ' +
  'while IFS= read -r line || [ -n "$line" ]; do ' +
  `case $line in *"${SYS_PASSWORD_PLACEHOLDER}"*) printf '%s%s%s\\n' "\${line%%"${SYS_PASSWORD_PLACEHOLDER}"*}" "$pw" "\${line#*"${SYS_PASSWORD_PLACEHOLDER}"}" ;; ` +
  `*) printf '%s\\n' "$line" ;; esac; ` +
  'done | tbsql "sys/$pw"';

/** `tbsql sys/<password>` as the seed runs it, with the password read from stdin instead of argv. */
export const TBSQL_AS_SYS: readonly string[] = ["sh", "-c", TBSQL_AS_SYS_SCRIPT, "sh"];

export type PlanStep = {
  id: string;
  title: string;
  /** Index of the instance (= redo thread) whose node runs the step; 0 is the creating node. */
  instance: number;
  argv: string[];
  /** SQL for tbsql; a step with stdin logs in as SYS and needs the password as stdin's first line. */
  stdin?: string;
  /** Output lines that show the step worked, in order. */
  expect: string[];
};

export type CreateDatabasePlan = {
  threads: ThreadFiles[];
  createDatabase: string;
  /** Per additional instance i ≥ 1: CREATE UNDO TABLESPACE UNDOi, ADD LOGFILE THREAD i …, ENABLE PUBLIC THREAD i. */
  threadStatements: { thread: number; statements: string[] }[];
  syssub?: string;
  steps: PlanStep[];
};

const pad2 = (n: number) => String(n).padStart(2, "0");

function inDir(dir: string, name: string): string {
  return dir === "" ? name : `${dir.replace(/\/+$/, "")}/${name}`;
}

/** The seed's naming: log group g → `log0g1` (log001, log011 …), thread i's undo → `undo0i1`. */
function defaultThreads(p: Params): ThreadFiles[] {
  let group = 0;
  return Array.from({ length: p.instances }, (_, thread) => ({
    undoFile: inDir(p.fileDir, `undo${pad2(thread)}1`),
    logGroups: Array.from({ length: p.logGroupsPerThread }, () => {
      const g = group++;
      return { group: g, file: inDir(p.fileDir, `log${pad2(g)}1`) };
    }),
  }));
}

/** Raw devices, or a shared FS without DB_CREATE_FILE_DEST: TPR data needs SYSSUB, files need absolute paths. */
function noFileDest(p: Params): boolean {
  return p.storage.kind === "raw-device" || p.storage.dbCreateFileDest === undefined;
}

/** Every file the plan creates, defaults resolved. */
type PlanFiles = { system: string; temp: string; syssub: string | undefined; threads: ThreadFiles[] };

function resolveFiles(p: Params): PlanFiles {
  return {
    system: p.systemFile ?? inDir(p.fileDir, "system001"),
    temp: p.tempFile ?? inDir(p.fileDir, "temp001"),
    syssub: noFileDest(p) ? (p.syssub?.file ?? inDir(p.fileDir, "syssub001.dtf")) : undefined,
    threads: p.threads ?? defaultThreads(p),
  };
}

function refusals(p: Params, files: PlanFiles): PlanRefusal[] {
  const threads = files.threads;
  const out: PlanRefusal[] = [];
  if (p.maxInstances < p.instances) {
    out.push({ field: "maxInstances", message: `MAXINSTANCES ${p.maxInstances} is below the ${p.instances} instances; no instance can be added beyond it later either` });
  }
  if (p.threads && p.threads.length !== p.instances) {
    out.push({ field: "threads", message: `${p.threads.length} thread layouts given for ${p.instances} instances` });
  }
  if (p.storage.kind === "raw-device" && !p.threads) {
    out.push({ field: "threads", message: "on raw devices every undo and log file is a device path: list them per thread" });
  }
  const groupOwner = new Map<number, number>();
  const fileOwner = new Map<string, string>();
  const absoluteNeeded = noFileDest(p);
  const where = p.storage.kind === "raw-device" ? "on raw devices" : "on a shared file system without DB_CREATE_FILE_DEST";
  /** `defaulted`: the name came from fileDir, so fileDir is the parameter to change. */
  const claimFile = (file: string, field: string, defaulted: boolean) => {
    if (absoluteNeeded && !file.startsWith("/")) {
      out.push({ field: defaulted ? "fileDir" : field, message: `'${file}' is not an absolute path; ${where} Tibero would create it on this node's local disk` });
    }
    const other = fileOwner.get(file);
    if (other !== undefined) out.push({ field, message: `file '${file}' is also used by ${other}` });
    else fileOwner.set(file, field);
  };
  claimFile(files.system, "systemFile", p.systemFile === undefined);
  claimFile(files.temp, "tempFile", p.tempFile === undefined);
  threads.forEach((t, thread) => {
    claimFile(t.undoFile, `threads[${thread}].undoFile`, p.threads === undefined);
    if (t.logGroups.length < 2) {
      out.push({ field: `threads[${thread}].logGroups`, message: `redo thread ${thread} has ${t.logGroups.length} log group(s); at least two are needed to ${thread === 0 ? "create the database" : "enable it"}` });
    }
    t.logGroups.forEach((g, k) => {
      const field = `threads[${thread}].logGroups[${k}].group`;
      const owner = groupOwner.get(g.group);
      if (owner !== undefined) out.push({ field, message: `log group ${g.group} is already used by thread ${owner}; group numbers are unique across the database` });
      else groupOwner.set(g.group, thread);
      claimFile(g.file, `threads[${thread}].logGroups[${k}].file`, p.threads === undefined);
    });
  });
  if (files.syssub !== undefined) claimFile(files.syssub, "syssub.file", p.syssub?.file === undefined);
  return dedupe(out);
}

/** One refusal per field and message: a missing fileDir would otherwise be reported once per file. */
function dedupe(refusals: PlanRefusal[]): PlanRefusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => {
    const key = r.field === "fileDir" ? r.field : `${r.field}\0${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function autoextend(p: Params): string[] {
  return p.autoextend ? [`AUTOEXTEND ON NEXT ${p.autoextend.next} MAXSIZE ${p.autoextend.maxSize}`] : [];
}

/** Continuation lines are indented to sit under the text after `SQL> `, as in the seed. */
function statement(lines: string[]): string {
  return lines.map((l, i) => (i === 0 ? l : `     ${l}`)).join("\n");
}

function renderCreateDatabase(p: Params, files: PlanFiles, thread0: ThreadFiles): string {
  const groups = thread0.logGroups.map((g, i) => `${i === 0 ? "LOGFILE " : ""}GROUP ${g.group} '${g.file}' SIZE ${p.logSize}${i < thread0.logGroups.length - 1 ? "," : ""}`);
  return statement([
    `CREATE DATABASE "${p.dbName}"`,
    `USER sys IDENTIFIED BY ${SYS_PASSWORD_PLACEHOLDER}`,
    `MAXINSTANCES ${p.maxInstances}`,
    `MAXDATAFILES ${p.maxDataFiles}`,
    `CHARACTER SET ${p.characterSet}`,
    ...groups,
    `MAXLOGFILES ${p.maxLogFiles}`,
    `MAXLOGMEMBERS ${p.maxLogMembers}`,
    p.archiveLog ? "ARCHIVELOG" : "NOARCHIVELOG",
    `DATAFILE '${files.system}' SIZE ${p.systemSize}`,
    ...autoextend(p),
    "DEFAULT TEMPORARY TABLESPACE TEMP",
    `TEMPFILE '${files.temp}' SIZE ${p.tempSize}`,
    ...autoextend(p),
    "EXTENT MANAGEMENT LOCAL AUTOALLOCATE",
    "UNDO TABLESPACE UNDO0",
    `DATAFILE '${thread0.undoFile}' SIZE ${p.undoSize}`,
    ...autoextend(p),
    "EXTENT MANAGEMENT LOCAL AUTOALLOCATE",
  ]);
}

function renderThreadStatements(p: Params, thread: number, files: ThreadFiles): string[] {
  return [
    statement([`CREATE UNDO TABLESPACE UNDO${thread}`, `DATAFILE '${files.undoFile}' SIZE ${p.undoSize}`, ...autoextend(p), "EXTENT MANAGEMENT LOCAL AUTOALLOCATE"]),
    ...files.logGroups.map((g) => `ALTER DATABASE ADD LOGFILE THREAD ${thread} GROUP ${g.group} '${g.file}' size ${p.logSize};`),
    `ALTER DATABASE ENABLE PUBLIC THREAD ${thread};`,
  ];
}

function renderSyssub(p: Params, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  return `CREATE TABLESPACE SYSSUB DATAFILE '${file}' SIZE ${p.syssub?.size ?? "512M"} ${autoextend(p).join(" ")}`.trimEnd() + ";";
}

/**
 * tbsql stdin: each statement ends with `;` (the seed's transcripts end some by a blank line instead).
 * No EXIT: end of input ends tbsql, and after CREATE DATABASE the server is gone, so EXIT would fail.
 */
export function tbsqlScript(statements: string[]): string {
  return statements.map((s) => `${s.endsWith(";") ? s : `${s};`}\n`).join("");
}

function steps(p: Params, createDatabase: string, threadStatements: CreateDatabasePlan["threadStatements"], syssub: string | undefined): PlanStep[] {
  const login = [...TBSQL_AS_SYS];
  const out: PlanStep[] = [
    { id: "cm-boot", title: "Boot TBCM", instance: 0, argv: ["tbcm", "-b"], expect: [MSG.cmStarted] },
    { id: "boot-nomount", title: "Boot Tibero in NOMOUNT mode", instance: 0, argv: ["tbboot", "-t", "NOMOUNT", "-c"], expect: [MSG.instanceStarted("NOMOUNT")] },
    { id: "create-database", title: "CREATE DATABASE (Tibero stops itself afterwards)", instance: 0, argv: login, stdin: tbsqlScript([createDatabase]), expect: [MSG.databaseCreated] },
    { id: "boot", title: "Boot Tibero", instance: 0, argv: ["tbboot"], expect: [MSG.instanceStarted("NORMAL")] },
  ];
  if (threadStatements.length > 0) {
    out.push({
      id: "add-threads",
      title: "Undo tablespaces and redo threads for the other instances",
      instance: 0,
      argv: login,
      stdin: tbsqlScript(threadStatements.flatMap((t) => t.statements)),
      expect: threadStatements.flatMap((t) => [MSG.tablespaceCreated(`UNDO${t.thread}`), ...t.statements.slice(1).map(() => MSG.databaseAltered)]),
    });
  }
  if (syssub) out.push({ id: "syssub", title: "SYSSUB tablespace for TPR", instance: 0, argv: login, stdin: tbsqlScript([syssub]), expect: [MSG.tablespaceCreated("SYSSUB")] });
  out.push({ id: "system-sh", title: "Run system.sh", instance: 0, argv: [`${p.tbHome}/scripts/system.sh`, `${p.tbHome}/bin/tbsvr`], expect: ["Creating the role DBA..."] });
  for (let i = 1; i < p.instances; i++) {
    out.push({ id: `cm-boot-${i}`, title: `Boot TBCM of instance ${i}`, instance: i, argv: ["tbcm", "-b"], expect: [MSG.cmStarted] });
    out.push({ id: `boot-${i}`, title: `Boot instance ${i}`, instance: i, argv: ["tbboot"], expect: [MSG.instanceStarted("NORMAL")] });
  }
  return out;
}

export type PlanResult = { ok: true; plan: CreateDatabasePlan } | { ok: false; refusals: PlanRefusal[] };

export function planCreateDatabase(input: unknown): PlanResult {
  const parsed = CreateDatabaseParamsSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, refusals: parsed.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(params)", message: i.message })) };
  }
  const p = parsed.data;
  const files = resolveFiles(p);
  const threads = files.threads;
  const refused = refusals(p, files);
  const thread0 = threads[0];
  if (refused.length > 0 || !thread0) return { ok: false, refusals: refused };
  const createDatabase = renderCreateDatabase(p, files, thread0);
  const threadStatements = threads.slice(1).map((files, k) => ({ thread: k + 1, statements: renderThreadStatements(p, k + 1, files) }));
  const syssub = renderSyssub(p, files.syssub);
  const plan: CreateDatabasePlan = { threads, createDatabase, threadStatements, steps: steps(p, createDatabase, threadStatements, syssub) };
  if (syssub) plan.syssub = syssub;
  return { ok: true, plan };
}
