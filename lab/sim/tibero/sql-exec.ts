import { MSG, TBR, tbrLine } from "../../../lib/engines/tibero/messages";
import type { Statement } from "./sql-parse";
import type { ClusterState, Database, NodeState } from "./state";

export type ExecOutcome = { lines: string[]; failed: boolean; disconnect?: boolean };

const done = (...lines: string[]): ExecOutcome => ({ lines, failed: false });
const error = (code: number, message: string): ExecOutcome => ({ lines: [tbrLine(code, message)], failed: true });

/** MAXINSTANCES when CREATE DATABASE omits it (the seed stresses setting it; the lab's default is 1). */
export const DEFAULT_MAXINSTANCES = 1;

function usedGroups(db: Database): Map<number, number> {
  return new Map(db.logGroups.map((g) => [g.group, g.thread]));
}

function duplicateIn(groups: number[]): number | undefined {
  const seen = new Set<number>();
  for (const g of groups) {
    if (seen.has(g)) return g;
    seen.add(g);
  }
  return undefined;
}

function tablespaceExists(db: Database, name: string): boolean {
  return db.tablespaces.some((t) => t.name.toUpperCase() === name.toUpperCase());
}

export type ExecTarget = { cluster: ClusterState; node: NodeState; now: number };

export function execute(stmt: Statement, target: ExecTarget): ExecOutcome {
  const { cluster, node, now } = target;
  const mode = node.instance.mode;
  if (stmt.kind === "exit") return done();
  if (stmt.kind === "create-database") {
    if (cluster.database) return error(TBR.dbExists, "Database already exists; CREATE DATABASE runs once, on one node.");
    if (mode !== "NOMOUNT") return error(TBR.notNomount, `CREATE DATABASE requires NOMOUNT mode (instance is ${mode}).`);
    if (node.instance.thread !== 0) return error(TBR.createThreadNotZero, `The creating instance must run THREAD=0 (its tip says THREAD=${node.instance.thread ?? "unset"}).`);
    const undo = stmt.undoTablespace ?? "UNDO0";
    if (undo.toUpperCase() !== (node.instance.undo ?? "").toUpperCase()) {
      return error(TBR.undoMismatch, `UNDO TABLESPACE ${undo} does not match UNDO_TABLESPACE=${node.instance.undo ?? "unset"} of this instance.`);
    }
    const dup = duplicateIn(stmt.logGroups.map((g) => g.group));
    if (dup !== undefined) return error(TBR.logGroupInUse, `Log group ${dup} is already in use.`);
    if (stmt.logGroups.length < 2) return error(TBR.createTooFewGroups, "At least two log groups are required for redo thread 0.");
    cluster.database = {
      name: stmt.name,
      sysPassword: stmt.sysPassword ?? "tibero",
      maxInstances: stmt.maxInstances ?? DEFAULT_MAXINSTANCES,
      logGroups: stmt.logGroups.map((g) => ({ group: g.group, thread: 0, files: g.files, size: g.size })),
      enabledThreads: [0],
      tablespaces: [
        { name: "SYSTEM", kind: "permanent", files: [] },
        { name: undo.toUpperCase(), kind: "undo", files: [] },
        ...(stmt.tempTablespace ? [{ name: stmt.tempTablespace, kind: "temporary" as const, files: [] }] : []),
      ],
      createdAt: now,
    };
    // Seed 001 step 4: Tibero shuts itself down once the database is created.
    node.instance = { mode: "DOWN", since: now };
    return { lines: [MSG.databaseCreated], failed: false, disconnect: true };
  }
  const db = cluster.database;
  if (!db || mode !== "NORMAL") return error(TBR.notOpen, `Database is not open (instance is ${mode}).`);
  switch (stmt.kind) {
    case "create-tablespace": {
      if (tablespaceExists(db, stmt.name)) return error(TBR.tablespaceExists, `Tablespace '${stmt.name}' already exists.`);
      db.tablespaces.push({ name: stmt.name, kind: stmt.tsKind, files: stmt.files });
      return done(MSG.tablespaceCreated(stmt.name));
    }
    case "add-logfile": {
      if (stmt.thread >= db.maxInstances) {
        return error(TBR.threadOverMaxInstances, `Thread ${stmt.thread} exceeds MAXINSTANCES (${db.maxInstances}); threads are 0..${db.maxInstances - 1}.`);
      }
      const used = usedGroups(db);
      for (const g of stmt.groups) {
        const owner = used.get(g.group);
        if (owner !== undefined) return error(TBR.logGroupInUse, `Log group ${g.group} is already in use (thread ${owner}); group numbers are unique across the database.`);
      }
      const dup = duplicateIn(stmt.groups.map((g) => g.group));
      if (dup !== undefined) return error(TBR.logGroupInUse, `Log group ${dup} is already in use.`);
      for (const g of stmt.groups) db.logGroups.push({ group: g.group, thread: stmt.thread, files: g.files, size: g.size });
      return done(MSG.databaseAltered);
    }
    case "enable-thread": {
      if (stmt.thread >= db.maxInstances) return error(TBR.threadOverMaxInstances, `Thread ${stmt.thread} exceeds MAXINSTANCES (${db.maxInstances}).`);
      if (db.enabledThreads.includes(stmt.thread)) return error(TBR.threadAlreadyEnabled, `Thread ${stmt.thread} is already enabled.`);
      const groups = db.logGroups.filter((g) => g.thread === stmt.thread).length;
      if (groups < 2) return error(TBR.threadTooFewGroups, `Thread ${stmt.thread} has ${groups} log group(s); at least two are needed to enable it.`);
      db.enabledThreads.push(stmt.thread);
      db.enabledThreads.sort((a, b) => a - b);
      return done(MSG.databaseAltered);
    }
    case "disable-thread": {
      if (!db.enabledThreads.includes(stmt.thread)) return error(TBR.threadNotEnabledYet, `Thread ${stmt.thread} is not enabled.`);
      if (stmt.thread === node.instance.thread) return error(TBR.threadInUse, `Thread ${stmt.thread} is in use by this instance.`);
      db.enabledThreads = db.enabledThreads.filter((t) => t !== stmt.thread);
      return done(MSG.databaseAltered);
    }
    case "select":
      return select(stmt.from, db);
  }
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" ").trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join(" "), ...rows.map(fmt), "", `${rows.length} row${rows.length === 1 ? "" : "s"} selected.`];
}

/** V$LOG and V$THREAD in a tbsql-like layout, for verifying the creation sequence. */
function select(from: string, db: Database): ExecOutcome {
  if (from === "V$LOG") {
    return done(...table(["THREAD#", "GROUP#", "MEMBERS", "SIZE"], db.logGroups.map((g) => [String(g.thread), String(g.group), String(g.files.length), g.size])));
  }
  if (from === "V$THREAD") {
    const threads = [...new Set(db.logGroups.map((g) => g.thread))].sort((a, b) => a - b);
    return done(...table(["THREAD#", "STATUS", "ENABLED"], threads.map((t) => [String(t), "OPEN", db.enabledThreads.includes(t) ? "PUBLIC" : "DISABLED"])));
  }
  return error(8033, `Specified schema object was not found (${from}).`);
}
