import { z } from "zod";
import { parseTip, tipGet } from "./parse-tip";
import { parseSize } from "./size";
import type { TipEntry, TipFileParsed } from "./types";

// Seed 001 §15.4/15.5: the TAC parameters of every instance's $TB_SID.tip, checked across the whole
// cluster at once, since uniqueness (THREAD, UNDO_TABLESPACE, ports per host) only shows up there.

/** One broken rule, located. `line` 0 means the key is absent from the file (the fix says what to add). */
export const FindingSchema = z.object({
  severity: z.enum(["error", "warning"]),
  file: z.string(),
  line: z.number().int().nonnegative(),
  key: z.string(),
  message: z.string(),
  fix: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const TipInputSchema = z.object({
  fileName: z.string().min(1),
  text: z.string(),
  host: z.string().min(1),
  /** CM_UI_PORT of the CM on that node (cm_$TB_SID.tip), when known. */
  cmUiPort: z.number().int().min(1).max(65535).optional(),
});
export type TipInput = z.infer<typeof TipInputSchema>;

export const TipValidationOptionsSchema = z.object({
  /** Before CREATE DATABASE: the first file is the creating instance and must run THREAD=0 / UNDO0. */
  creating: z.boolean().default(false),
  /** MAXINSTANCES of the database, when known: threads run 0..MAXINSTANCES-1. */
  maxInstances: z.number().int().positive().optional(),
});
export type TipValidationOptions = z.input<typeof TipValidationOptionsSchema>;

/** `position` is the file's place in the input: the creating instance is position 0 even if another file fails to parse. */
type Parsed = { input: TipInput; tip: TipFileParsed; position: number };

function finding(severity: Finding["severity"], file: string, entry: TipEntry | undefined, key: string, message: string, fix: string): Finding {
  return { severity, file, line: entry?.lineNumber ?? 0, key, message, fix };
}

/** Tip sizes: `4096M`, `2G`, or a plain byte count. */
export function tipBytes(entry: TipEntry): number | undefined {
  if (entry.size) return entry.size.bytes;
  if (/^\d+$/.test(entry.value)) return Number(entry.value);
  return parseSize(entry.value)?.bytes;
}

function portOf(entry: TipEntry | undefined): number | undefined {
  if (!entry || !/^\d+$/.test(entry.value)) return undefined;
  const n = Number(entry.value);
  return n >= 1 && n <= 65535 ? n : undefined;
}

function checkSingleFile({ input, tip }: Parsed, findings: Finding[]): void {
  const file = input.fileName;
  const get = (key: string) => tipGet(tip, key);
  for (const w of tip.warnings) {
    const key = /duplicate key (\S+)/.exec(w.message)?.[1] ?? "";
    findings.push({ severity: "warning", file, line: w.lineNumber, key, message: `${w.message}; the last assignment wins`, fix: `Keep one ${key} line.` });
  }
  const cluster = get("CLUSTER_DATABASE");
  if (!cluster) findings.push(finding("error", file, undefined, "CLUSTER_DATABASE", "CLUSTER_DATABASE is not set; TAC requires it", "Add CLUSTER_DATABASE=Y."));
  else if (cluster.value.toUpperCase() !== "Y") {
    findings.push(finding("error", file, cluster, "CLUSTER_DATABASE", `CLUSTER_DATABASE must be Y for TAC, got '${cluster.value}'`, "Set CLUSTER_DATABASE=Y."));
  }
  const thread = get("THREAD");
  if (!thread) findings.push(finding("error", file, undefined, "THREAD", "THREAD is not set; each instance needs its own redo thread", "Add THREAD=<n>, unique per instance."));
  else if (!/^\d+$/.test(thread.value)) findings.push(finding("error", file, thread, "THREAD", `THREAD must be a redo thread number, got '${thread.value}'`, "Set THREAD to a non-negative integer."));
  const undo = get("UNDO_TABLESPACE");
  if (!undo?.value) findings.push(finding("error", file, undo, "UNDO_TABLESPACE", "UNDO_TABLESPACE is not set; each instance needs its own undo tablespace", "Add UNDO_TABLESPACE=UNDO<n>, unique per instance."));
  const addr = get("LOCAL_CLUSTER_ADDR");
  if (!addr?.value) findings.push(finding("error", file, addr, "LOCAL_CLUSTER_ADDR", "LOCAL_CLUSTER_ADDR is not set; instances talk over this private address", "Add LOCAL_CLUSTER_ADDR=<this node's interconnect IP>."));
  const localPort = get("LOCAL_CLUSTER_PORT");
  if (!localPort) findings.push(finding("error", file, undefined, "LOCAL_CLUSTER_PORT", "LOCAL_CLUSTER_PORT is not set", "Add LOCAL_CLUSTER_PORT=<port open between the nodes>."));
  else if (portOf(localPort) === undefined) findings.push(finding("error", file, localPort, "LOCAL_CLUSTER_PORT", `LOCAL_CLUSTER_PORT must be a port (1-65535), got '${localPort.value}'`, "Set LOCAL_CLUSTER_PORT to a free port number."));
  checkCmPort(input, get("CM_PORT"), findings);
  checkMemory(file, get, findings);
}

function checkCmPort(input: TipInput, cmPort: TipEntry | undefined, findings: Finding[]): void {
  const file = input.fileName;
  const want = input.cmUiPort !== undefined ? `CM_PORT=${input.cmUiPort}` : "CM_PORT=<CM_UI_PORT of this node's CM>";
  if (!cmPort) {
    findings.push(finding("error", file, undefined, "CM_PORT", "CM_PORT is not set; the instance cannot reach its CM", `Add ${want}.`));
    return;
  }
  const port = portOf(cmPort);
  if (port === undefined) {
    findings.push(finding("error", file, cmPort, "CM_PORT", `CM_PORT must be a port (1-65535), got '${cmPort.value}'`, `Set ${want}.`));
    return;
  }
  if (input.cmUiPort !== undefined && port !== input.cmUiPort) {
    findings.push(finding("error", file, cmPort, "CM_PORT", `CM_PORT=${port} but the CM on ${input.host} listens on CM_UI_PORT=${input.cmUiPort}`, `Set ${want}.`));
  }
}

function checkMemory(file: string, get: (key: string) => TipEntry | undefined, findings: Finding[]): void {
  const sized = (key: string): { entry: TipEntry; bytes: number } | undefined => {
    const entry = get(key);
    if (!entry) return undefined;
    const bytes = tipBytes(entry);
    if (bytes === undefined) {
      findings.push(finding("error", file, entry, key, `${key} is not a size: '${entry.value}'`, `Write ${key} with a unit, e.g. ${key}=4096M.`));
      return undefined;
    }
    return { entry, bytes };
  };
  const target = sized("MEMORY_TARGET");
  const shm = sized("TOTAL_SHM_SIZE");
  const cache = sized("DB_CACHE_SIZE");
  if (target && shm && shm.bytes >= target.bytes) {
    findings.push(finding("error", file, shm.entry, "TOTAL_SHM_SIZE", `TOTAL_SHM_SIZE (${shm.entry.value}) must be below MEMORY_TARGET (${target.entry.value}), which also holds sort/hash and other memory`, `Lower TOTAL_SHM_SIZE below ${target.entry.value} or raise MEMORY_TARGET (line ${target.entry.lineNumber}).`));
  }
  if (shm && cache) {
    if (cache.bytes >= shm.bytes) {
      findings.push(finding("error", file, cache.entry, "DB_CACHE_SIZE", `DB_CACHE_SIZE (${cache.entry.value}) does not fit in TOTAL_SHM_SIZE (${shm.entry.value})`, `Set DB_CACHE_SIZE to about half of TOTAL_SHM_SIZE (${mib(shm.bytes / 2)}).`));
    } else if (cache.bytes > shm.bytes / 2) {
      findings.push(finding("warning", file, cache.entry, "DB_CACHE_SIZE", `DB_CACHE_SIZE (${cache.entry.value}) is above half of TOTAL_SHM_SIZE (${shm.entry.value}); TAC needs much shared memory besides the buffer cache`, `Set DB_CACHE_SIZE to about ${mib(shm.bytes / 2)}.`));
    }
  }
}

function mib(bytes: number): string {
  return `${Math.floor(bytes / 2 ** 20)}M`;
}

function checkAcrossFiles(files: Parsed[], options: z.output<typeof TipValidationOptionsSchema>, findings: Finding[]): void {
  const threads = new Map<number, string>();
  const undos = new Map<string, string>();
  const portsByHost = new Map<string, Map<number, string>>();
  const addrs = new Map<string, { host: string; file: string }>();
  files.forEach(({ input, tip, position }) => {
    const file = input.fileName;
    const thread = tipGet(tip, "THREAD");
    const undo = tipGet(tip, "UNDO_TABLESPACE");
    if (thread && /^\d+$/.test(thread.value)) {
      const n = Number(thread.value);
      const other = threads.get(n);
      if (other !== undefined) findings.push(finding("error", file, thread, "THREAD", `THREAD=${n} is also used by ${other}; each instance needs its own redo thread`, "Give this instance an unused THREAD number (and the matching UNDO tablespace)."));
      else threads.set(n, file);
      if (options.maxInstances !== undefined && n >= options.maxInstances) {
        findings.push(finding("error", file, thread, "THREAD", `THREAD=${n} exceeds MAXINSTANCES (${options.maxInstances}); threads are 0..${options.maxInstances - 1}`, `Use a THREAD below ${options.maxInstances}.`));
      }
      if (options.creating && position === 0 && n !== 0) {
        findings.push(finding("error", file, thread, "THREAD", `The instance that runs CREATE DATABASE must use THREAD=0 (its log groups become redo thread 0), got ${n}`, "Set THREAD=0 on the creating instance."));
      }
    }
    if (undo?.value) {
      const name = undo.value.toUpperCase();
      const other = undos.get(name);
      if (other !== undefined) findings.push(finding("error", file, undo, "UNDO_TABLESPACE", `UNDO_TABLESPACE=${undo.value} is also used by ${other}; each instance needs its own undo tablespace`, "Give this instance its own UNDO tablespace (UNDO<thread>)."));
      else undos.set(name, file);
      if (options.creating && position === 0 && name !== "UNDO0") {
        findings.push(finding("error", file, undo, "UNDO_TABLESPACE", `The creating instance must use UNDO_TABLESPACE=UNDO0, the UNDO TABLESPACE of CREATE DATABASE, got ${undo.value}`, "Set UNDO_TABLESPACE=UNDO0 on the creating instance."));
      }
    }
    const ports = portsByHost.get(input.host) ?? new Map<number, string>();
    portsByHost.set(input.host, ports);
    for (const key of ["LOCAL_CLUSTER_PORT", "LISTENER_PORT"]) {
      const entry = tipGet(tip, key);
      const port = portOf(entry);
      if (port === undefined) continue;
      const other = ports.get(port);
      if (other !== undefined) findings.push(finding("error", file, entry, key, `${key}=${port} is already taken on ${input.host} by ${other}`, `Choose a ${key} not used by another instance on ${input.host}.`));
      else ports.set(port, `${key} of ${file}`);
    }
    const localPort = portOf(tipGet(tip, "LOCAL_CLUSTER_PORT"));
    const cmPort = tipGet(tip, "CM_PORT");
    if (localPort !== undefined && localPort === portOf(cmPort)) {
      findings.push(finding("error", file, tipGet(tip, "LOCAL_CLUSTER_PORT"), "LOCAL_CLUSTER_PORT", `LOCAL_CLUSTER_PORT equals CM_PORT (${localPort}), the CM's port`, "Choose a LOCAL_CLUSTER_PORT different from CM_PORT."));
    }
    const addr = tipGet(tip, "LOCAL_CLUSTER_ADDR");
    if (addr?.value) {
      const seen = addrs.get(addr.value);
      if (seen && seen.host !== input.host) {
        findings.push(finding("warning", file, addr, "LOCAL_CLUSTER_ADDR", `LOCAL_CLUSTER_ADDR=${addr.value} is also set by ${seen.file} on another host (${seen.host})`, `Set this node's own interconnect address for ${input.host}.`));
      } else if (!seen) addrs.set(addr.value, { host: input.host, file });
    }
  });
}

/** CM_UI_PORT from a node's cm_$TB_SID.tip text, to pass as `cmUiPort`; undefined when absent or garbled. */
export function cmUiPortFromTip(cmTipText: string): number | undefined {
  const r = parseTip(cmTipText);
  return r.ok ? portOf(tipGet(r.value, "CM_UI_PORT")) : undefined;
}

export type TipValidation = { ok: true; findings: Finding[] } | { ok: false; error: string };

/** Validates every instance's tip together; the first file is the creating instance when `creating`. */
export function validateClusterTips(inputs: unknown, options: TipValidationOptions = {}): TipValidation {
  const parsedInputs = z.array(TipInputSchema).min(1).safeParse(inputs);
  if (!parsedInputs.success) return { ok: false, error: z.prettifyError(parsedInputs.error) };
  const parsedOptions = TipValidationOptionsSchema.safeParse(options);
  if (!parsedOptions.success) return { ok: false, error: z.prettifyError(parsedOptions.error) };
  const findings: Finding[] = [];
  const files: Parsed[] = [];
  const names = new Set<string>();
  for (const [position, input] of parsedInputs.data.entries()) {
    if (names.has(`${input.host}\0${input.fileName}`)) {
      findings.push({ severity: "error", file: input.fileName, line: 0, key: "", message: `${input.fileName} on ${input.host} is listed twice`, fix: "Give each instance's tip once." });
      continue;
    }
    names.add(`${input.host}\0${input.fileName}`);
    const r = parseTip(input.text);
    if (!r.ok) {
      findings.push({ severity: "error", file: input.fileName, line: r.error.lineNumber, key: "", message: `${r.error.message}: ${r.error.line}`, fix: "Write the line as KEY=VALUE, or comment it out with #." });
      continue;
    }
    files.push({ input, tip: r.value, position });
  }
  for (const f of files) checkSingleFile(f, findings);
  checkAcrossFiles(files, parsedOptions.data, findings);
  const order = new Map(parsedInputs.data.map((i, k) => [i.fileName, k]));
  findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
  return { ok: true, findings };
}
