// What the PostgreSQL procedures share: parameter fields, the commands every one of them runs on a
// server's own host (psql without -h, pg_ctl and $PGDATA from the host's login environment, as the
// prober does), and the parsers their assertions read. The inventory's version is not in a step's
// scope, so the major version is a parameter, checked against the server by the first precheck.
import { z } from "zod";

import type { InventoryParams } from "../../../runs/model";

import type { ArgvBuild, InventoryNode, ParseOutcome, ProbeOutput } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import { endpointOf, psqlArgv } from "../commands";
import { absolutePathSchema, hostSchema, roleNameSchema, slotNameSchema } from "../config-gen";
import { parseMajor, type PgMajor } from "../version";

export const POLL_MS = 1_000;

export const majorField = z
  .string()
  .trim()
  .regex(/^(9\.6|1[0-9])$/, "9.6 or later, e.g. 9.6, 11 or 15 (pg_control_system() and pg_stat_wal_receiver arrived in 9.6)")
  .meta({ label: "PostgreSQL major version", help: "The cluster's version (9.6, 11, 15 …): decides recovery.conf or standby.signal, names and promotion. The first check compares it with the servers." });

export const nodeField = (label: string, help: string) =>
  z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "host:port of a server, e.g. 10.0.0.5:5432").meta({ label, help, input: "node" });

export const replicationUserField = roleNameSchema.default("replicator").meta({ label: "Replication role", help: "The role standbys (and pg_rewind) connect as" });

export const passwordCredentialField = z
  .string()
  .min(1, "choose the credential holding the replication role's password")
  .meta({ label: "Replication password (credential)", help: "A stored password credential; its secret is sent on stdin when the step runs, never shown or kept in the plan" });

export const slotField = slotNameSchema.optional().meta({ label: "Replication slot", help: "Physical slot on the primary; empty: standby_<host> from the standby's address" });

export const hbaSourcesField = z
  .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR such as 10.0.0.7/32"))
  .default([])
  .meta({ label: "Extra pg_hba sources", help: "More client addresses allowed to replicate (CIDR), e.g. 127.0.0.1/32 where every loopback connection leaves from 127.0.0.1" });

export const archiveDirField = absolutePathSchema.meta({ label: "WAL archive directory", help: "On the standby's host: where archive_command copies WAL and restore_command reads it (the seed's /home/goodus/archive)" });

export type Major = PgMajor;

/** The major version is the cluster's, from the inventory: the form does not ask for it. */
export const majorFromInventory: InventoryParams = ({ version }) => ({ major: version });

/** The schema has validated the text; a failure here is a bug. */
export function majorOf(text: string): PgMajor {
  const m = parseMajor(text);
  if (!m.ok) throw new Error(m.message);
  return m.value;
}

type Settings = ProbeTarget["settings"];

export function pgPort(settings: Settings): number {
  const n = Number(settings.PGPORT);
  return Number.isInteger(n) && n > 0 ? n : 5432;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A PostgreSQL program: from PGBIN when the cluster sets it, else the host's PATH. */
export function tool(settings: Settings, name: string): string {
  const bin = text(settings.PGBIN);
  return bin ? `${bin.replace(/\/+$/, "")}/${name}` : name;
}

export function pgbinOf(settings: Settings): string {
  return text(settings.PGBIN) ?? "/usr/bin";
}

export type ServerGuard = { ok: true; node: InventoryNode; host: string; port: number } | { ok: false; field: string; message: string };

/** A server named in the parameters is a server of this cluster; its address and port from its name. */
export function server(nodes: readonly InventoryNode[], settings: Settings, field: string, name: string): ServerGuard {
  const node = nodes.find((n) => n.name === name && n.type === "server");
  if (!node) {
    const known = nodes.filter((n) => n.type === "server").map((n) => n.name);
    return { ok: false, field, message: `${name} is not a server of this cluster (servers: ${known.join(", ") || "none"})` };
  }
  const e = endpointOf(node.name, node.hostAddress, pgPort(settings));
  if (!hostSchema.safeParse(e.host).success) return { ok: false, field, message: `${e.host} is not a plain host name or address` };
  return { ok: true, node, host: e.host, port: e.port };
}

export function bothServers(nodes: readonly InventoryNode[], settings: Settings, a: [string, string], b: [string, string]): { ok: true; a: Extract<ServerGuard, { ok: true }>; b: Extract<ServerGuard, { ok: true }> } | { ok: false; field: string; message: string } {
  const first = server(nodes, settings, a[0], a[1]);
  if (!first.ok) return first;
  const second = server(nodes, settings, b[0], b[1]);
  if (!second.ok) return second;
  if (first.node.name === second.node.name) return { ok: false, field: b[0], message: `${b[1]} is the same server as ${a[0]}` };
  if (first.node.hostName === second.node.hostName) return { ok: false, field: b[0], message: `${b[1]} shares host ${first.node.hostName} with ${a[1]}; this procedure needs two hosts` };
  return { ok: true, a: first, b: second };
}

/** psql on the server's own host (socket or the host's PGHOST), as the status prober runs it. */
export function psql(settings: Settings, port: number, sql: string | readonly string[]): ArgvBuild {
  const argv = psqlArgv({ port, user: text(settings.PGUSER), pgbin: text(settings.PGBIN) }, sql);
  return argv.ok ? argv : { ok: false, field: "PGBIN", message: argv.message };
}

/** psql's argv without a statement (it reads SQL from stdin). */
export function psqlStdin(settings: Settings, port: number): { ok: true; argv: string[] } | { ok: false; field: string; message: string } {
  const argv = psqlArgv({ port, user: text(settings.PGUSER), pgbin: text(settings.PGBIN) }, []);
  return argv.ok ? argv : { ok: false, field: "PGBIN", message: argv.message };
}

/**
 * pg_ctl with $PGDATA from the host's environment; start logs beside PGDATA (pg_ctl -l), so the channel
 * is not held open. `socketOnly`: no TCP listener, so no client can write to a server started only to
 * finish crash recovery.
 */
export function pgCtl(settings: Settings, action: "start" | "stop" | "restart", o: { mode?: "fast" | "immediate"; socketOnly?: boolean } = {}): string[] {
  const ctl = tool(settings, "pg_ctl");
  const mode = o.mode ?? "fast";
  // -D explicitly (not only $PGDATA in the environment): the postmaster's command line then names its
  // data directory, which is how ps and the lab tell servers apart.
  if (action === "stop") return ["sh", "-c", 'exec "$@" -D "$PGDATA"', "sh", ctl, "stop", "-m", mode, "-w", "-t", "120"];
  return [
    "sh", "-c", 'exec "$@" -D "$PGDATA" -l "$(dirname "$PGDATA")/postgresql.log"', "sh", ctl, action,
    ...(action === "restart" ? ["-m", mode] : []),
    ...(o.socketOnly ? ["-o", "-c listen_addresses=''"] : []),
    "-w", "-t", "120",
  ];
}

/** Standby slot name from its address when none is given: standby_127_0_0_35. */
export function slotFor(explicit: string | undefined, standbyHost: string): string {
  return explicit ?? `standby_${standbyHost.toLowerCase().replace(/[^a-z0-9]/g, "_")}`.slice(0, 63);
}

// ---- host-side probe: the data directory's state, without a running server ---------------------------

// Prints key=value lines: pgdata, version (PG_VERSION), entries, running/stale_pid, file=… for the
// recovery files, then pg_controldata's own lines when PGBIN has it (LC_ALL=C: its English labels).
const DATADIR_PROBE = [
  'if [ -z "$PGDATA" ]; then echo "pgdata="; exit 0; fi; echo "pgdata=$PGDATA"',
  'if [ -d "$PGDATA" ]; then echo "entries=$(ls -A "$PGDATA" | wc -l)"; else echo "entries=absent"; fi',
  '[ -f "$PGDATA/PG_VERSION" ] && echo "version=$(cat "$PGDATA/PG_VERSION")"',
  'if [ -f "$PGDATA/postmaster.pid" ]; then pid=$(head -1 "$PGDATA/postmaster.pid"); ' +
    'if kill -0 "$pid" 2>/dev/null && ! grep -q "^State:[[:space:]]*Z" "/proc/$pid/status" 2>/dev/null; then echo "running=$pid"; else echo "stale_pid=$pid"; fi; fi',
  'for f in recovery.conf recovery.done standby.signal; do [ -e "$PGDATA/$f" ] && echo "file=$f"; done',
  'if [ -x "$1/pg_controldata" ] && [ -f "$PGDATA/global/pg_control" ]; then echo "--controldata--"; LC_ALL=C "$1/pg_controldata" "$PGDATA" 2>&1; fi',
].join("; ");

export function dataDirProbe(settings: Settings): string[] {
  return ["sh", "-c", `${DATADIR_PROBE}; exit 0`, "sh", pgbinOf(settings)];
}

/**
 * The data directory's state, then IDENTIFY_SYSTEM over a replication connection to `conninfo` (the
 * source's system identifier and current timeline): both sides of pg_rewind's checks in one probe.
 */
export function dataDirAndSourceProbe(settings: Settings, conninfoText: string): string[] {
  return ["sh", "-c", `${DATADIR_PROBE}; echo "--identify--"; "$1/psql" -X -A -t -w -d "$2" -c IDENTIFY_SYSTEM 2>&1; exit 0`, "sh", pgbinOf(settings), `${conninfoText} dbname=replication replication=true connect_timeout=10`];
}

/** Splits dataDirAndSourceProbe's output: the data directory part, and IDENTIFY_SYSTEM's line. */
export function splitIdentify(output: ProbeOutput): { dataDir: ProbeOutput; identify: { systemId: string; timeline: number } | { error: string } } {
  const [head = "", tail = ""] = output.stdout.split("--identify--\n");
  const m = /^(\d+)\|(\d+)\|/m.exec(tail);
  return { dataDir: { ...output, stdout: head }, identify: m?.[1] && m[2] ? { systemId: m[1], timeline: Number(m[2]) } : { error: tail.trim() || "no answer" } };
}

export type DataDirState = {
  pgdata: string;
  exists: boolean;
  entries: number;
  version: string | null;
  running: boolean;
  stalePid: boolean;
  files: string[];
  /** pg_controldata's lines by label, when it could be read. */
  control: Map<string, string> | null;
};

export function dataDirState(output: ProbeOutput): ParseOutcome<DataDirState> {
  if (output.exitCode !== 0) return { ok: false, reason: `the data directory check exited ${output.exitCode}: ${output.stderr.trim().split("\n")[0] ?? ""}` };
  const [head = "", control] = output.stdout.split("--controldata--\n");
  const kv = head.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const);
  const get = (k: string) => kv.find(([key]) => key === k)?.[1];
  const pgdata = get("pgdata");
  if (pgdata === undefined) return { ok: false, reason: "the data directory check printed nothing readable" };
  if (pgdata === "") return { ok: false, reason: "PGDATA is not set in this host's login environment; set it for the account Keel connects as" };
  const entries = get("entries");
  const controlMap = control === undefined ? null : new Map(control.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()] as const));
  return {
    ok: true,
    value: {
      pgdata,
      exists: entries !== "absent",
      entries: entries === undefined || entries === "absent" ? 0 : Number(entries),
      version: get("version") ?? null,
      running: get("running") !== undefined,
      stalePid: get("stale_pid") !== undefined,
      files: kv.filter(([k]) => k === "file").map(([, v]) => v),
      control: controlMap !== null && controlMap.size > 0 ? controlMap : null,
    },
  };
}

// ---- server facts: one line of JSON from any server, primary or standby ---------------------------------

const factsSchema = z.object({
  version: z.number().int(),
  in_recovery: z.boolean(),
  wal_level: z.string(),
  max_wal_senders: z.number().int(),
  senders_used: z.number().int(),
  max_replication_slots: z.number().int(),
  hot_standby: z.string(),
  wal_log_hints: z.string(),
  data_checksums: z.string(),
  full_page_writes: z.string(),
  listen_addresses: z.string(),
  archive_mode: z.string(),
  archive_command: z.string(),
  pending_restart: z.array(z.string()),
  system_identifier: z.string().nullable(),
  timeline: z.number().int().nullable(),
  checkpoint_timeline: z.number().int().nullable(),
  slots: z.array(z.object({ name: z.string(), active: z.boolean() })),
});
export type ServerFacts = z.infer<typeof factsSchema>;

/** Settings, role, timeline, system identifier and slots of one server (9.6+ functions; xlog names before 10). */
export function factsQuery(major: PgMajor): string {
  const walFile = major.num >= 100000 ? "pg_walfile_name(pg_current_wal_lsn())" : "pg_xlogfile_name(pg_current_xlog_location())";
  const timeline = `CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint()) ELSE ('x' || substr(${walFile}, 1, 8))::bit(32)::int END`;
  const s = (name: string) => `current_setting('${name}')`;
  return `SELECT json_build_object('version', ${s("server_version_num")}::int, 'in_recovery', pg_is_in_recovery(),
  'wal_level', ${s("wal_level")}, 'max_wal_senders', ${s("max_wal_senders")}::int,
  'senders_used', (SELECT count(*) FROM pg_stat_replication)::int, 'max_replication_slots', ${s("max_replication_slots")}::int,
  'hot_standby', ${s("hot_standby")}, 'wal_log_hints', ${s("wal_log_hints")}, 'data_checksums', ${s("data_checksums")},
  'full_page_writes', ${s("full_page_writes")}, 'listen_addresses', ${s("listen_addresses")},
  'archive_mode', ${s("archive_mode")}, 'archive_command', ${s("archive_command")},
  'pending_restart', COALESCE((SELECT json_agg(name ORDER BY name) FROM pg_settings WHERE pending_restart), '[]'::json),
  'system_identifier', (SELECT system_identifier::text FROM pg_control_system()),
  'timeline', ${timeline},
  'checkpoint_timeline', (SELECT timeline_id FROM pg_control_checkpoint()),
  'slots', COALESCE((SELECT json_agg(json_build_object('name', slot_name, 'active', active) ORDER BY slot_name) FROM pg_replication_slots WHERE slot_type = 'physical'), '[]'::json))`;
}

/** The first line of a failed command, for a reason. */
export function failure(output: ProbeOutput): string {
  const line = (output.stderr.trim() || output.stdout.trim()).split("\n")[0] ?? "";
  return `exited ${output.exitCode}${line ? `: ${line}` : ""}`;
}

export function jsonLine<T>(schema: z.ZodType<T>, what: string): (output: ProbeOutput) => ParseOutcome<T> {
  return (output) => {
    if (output.exitCode !== 0) return { ok: false, reason: `${what}: psql ${failure(output)}` };
    const line = output.stdout.split("\n").find((l) => l.trim() !== "");
    if (line === undefined) return { ok: false, reason: `${what}: psql printed nothing` };
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { ok: false, reason: `${what}: not JSON: ${line.slice(0, 120)}` };
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: `${what}: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? "unexpected"}` };
  };
}

export const serverFacts = jsonLine(factsSchema, "server settings");

/** The server answers with the major the parameters name. */
export function sameMajor(facts: ServerFacts, major: PgMajor, name: string): { ok: true } | { ok: false; reason: string } {
  const actual = facts.version >= 100000 ? Math.floor(facts.version / 10000) * 10000 : Math.floor(facts.version / 100) * 100;
  if (actual === major.num) return { ok: true };
  return { ok: false, reason: `${name} runs server_version_num ${facts.version}, not PostgreSQL ${major.text}: plan again with the server's major version` };
}

/** Known libpq / walsender failures → what the DBA should change (the seed's two pg_basebackup errors first). */
export function explainConnectionError(text: string, o: { primary: string; user: string; source: string }): string {
  if (/no pg_hba\.conf entry for replication connection/.test(text)) {
    // The address the server saw is the one to allow: behind NAT, or on one machine's loopback (every
    // connection leaves from 127.0.0.1), it is not the inventory's address of the connecting host.
    const seen = /from host "([0-9A-Fa-f.:]+)"/.exec(text)?.[1];
    const source = seen ? `${seen}/${seen.includes(":") ? 128 : 32}` : `${o.source}/32`;
    return `${text.trim()} — add "host replication ${o.user} ${source} md5" (and the other host's address) to ${o.primary}'s pg_hba.conf, then SELECT pg_reload_conf()`;
  }
  if (/exceeds max_wal_senders/.test(text)) {
    return `${text.trim()} — raise max_wal_senders on ${o.primary} (ALTER SYSTEM SET max_wal_senders = 10) and restart it: pg_basebackup -X stream needs two senders, each standby one more`;
  }
  if (/password authentication failed|no password supplied/.test(text)) {
    return `${text.trim()} — the replication password in the credential does not match ${o.user}'s on ${o.primary}: set it again (ALTER ROLE ${o.user} PASSWORD …) or fix the credential`;
  }
  if (/Connection refused|could not connect|timeout expired/.test(text)) {
    return `${text.trim()} — ${o.primary} does not accept TCP connections from this host: check it runs, listen_addresses and the firewall`;
  }
  return text.trim();
}
