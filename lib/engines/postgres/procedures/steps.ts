// Step builders more than one PostgreSQL procedure uses: version and role checks, the replication
// password on a host, cloning a standby, writing its configuration, starting it and waiting until it
// streams. Each takes accessors from the procedure's parameters to the servers it works on.
import type { ArgvBuild, CheckResult, ForEachStep, InventoryNode, LeafStep, StepBuilders, StepScope } from "../../../runs/model";
import { parsed } from "../../../runs/model";
import type { ProbeTarget } from "../../../status/types";
import { z } from "zod";

import { conninfo, defaultPromoteMethod, promoteCommand, standbyConfig, walNames, writeStandbyConfig, type PromoteMethod, type StandbySpec } from "../config-gen";
import { parsePrimaryState, parseStandbyState } from "../parse";
import { primaryQuery, standbyQuery } from "../queries";
import {
  dataDirProbe,
  dataDirState,
  explainConnectionError,
  factsQuery,
  failure,
  jsonLine,
  majorOf,
  pgbinOf,
  pgCtl,
  POLL_MS,
  psql,
  sameMajor,
  server,
  serverFacts,
  tool,
  type Major,
  type ServerGuard,
} from "./shared";

type Base = { major: string };
/** What argv builders need from any scope, inside a forEach or not. */
type Sc<P> = { params: P; settings: Settings; nodes: readonly InventoryNode[] };
type Pick<P> = (params: P) => string;
type Settings = ProbeTarget["settings"];

export function guardOf<P>(scope: Sc<P>, field: string, name: string): ServerGuard {
  return server(scope.nodes, scope.settings, field, name);
}

/** argv built only for a server of this cluster. */
export function onServer<P>(scope: Sc<P>, field: string, name: string, build: (g: Extract<ServerGuard, { ok: true }>) => ArgvBuild): ArgvBuild {
  const g = guardOf(scope, field, name);
  return g.ok ? build(g) : g;
}

export const nodeSelector = <P>(pick: Pick<P>) => ({ node: (s: Sc<P>) => pick(s.params) });

/** precheck: the server answers with the parameters' major version (and, when given, in this role). */
export function versionCheck<P extends Base, I = null>(id: string, field: string, pick: Pick<P>, role: "primary" | "standby" | null): LeafStep<StepScope<P, I>> {
  return {
    kind: "precheck",
    id,
    title: (s) => `${pick(s.params)} runs PostgreSQL ${s.params.major}${role ? ` as ${role}` : ""}`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
    assert: parsed(serverFacts, (f, s) => {
      const same = sameMajor(f, majorOf(s.params.major), pick(s.params));
      if (!same.ok || role === null) return same;
      if (role === "primary" && f.in_recovery) return { ok: false, reason: `${pick(s.params)} is in recovery (a standby), not a primary` };
      if (role === "standby" && !f.in_recovery) return { ok: false, reason: `${pick(s.params)} is not in recovery: it is already a primary` };
      return { ok: true };
    }),
  };
}

// The secret arrives as the first stdin line; pgpass escapes ':' and '\'. Other entries are kept.
const PGPASS_SCRIPT =
  'set -e; IFS= read -r PW; e=$(printf "%s" "$PW" | sed \'s/[\\\\:]/\\\\&/g\'); umask 077; f="$HOME/.pgpass"; touch "$f"; ' +
  '{ grep -v -F -- "$1" "$f" || true; printf "%s%s\\n" "$1" "$e"; } > "$f.keel"; mv "$f.keel" "$f"';

/** Writes the replication password into the host account's ~/.pgpass (used by the walreceiver, pg_basebackup, pg_rewind). */
export function pgpassStep<P extends Base & { replicationUser: string; passwordCredential: string }, I = null>(id: string, field: string, pick: Pick<P>): LeafStep<StepScope<P, I>> {
  return {
    kind: "action",
    id,
    title: (s) => `Store ${s.params.replicationUser}'s password in ~/.pgpass on ${pick(s.params)}'s host`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), () => ["sh", "-c", PGPASS_SCRIPT, "sh", `*:*:*:${s.params.replicationUser}:`]),
    stdin: (s) => ({ credential: s.params.passwordCredential }),
    idempotent: true,
    onFailure: "Nothing else changed. Check the account's home directory is writable, then retry.",
  };
}

/** precheck on the standby's host: a replication connection to the primary, as pg_basebackup and the walreceiver will make it. */
export function replicationConnectionCheck<P extends Base & { replicationUser: string }, I = null>(id: string, fields: [string, string], primary: Pick<P>, from: Pick<P>): LeafStep<StepScope<P, I>> {
  return {
    kind: "precheck",
    id,
    title: (s) => `${from(s.params)}'s host can open a replication connection to ${primary(s.params)} as ${s.params.replicationUser}`,
    host: nodeSelector(from),
    argv: (s) =>
      onServer(s, fields[1], from(s.params), () =>
        onServer(s, fields[0], primary(s.params), (p) => [
          tool(s.settings, "psql"),
          "-X", "-A", "-t", "-w",
          "-d", `${conninfo({ host: p.host, port: p.port, user: s.params.replicationUser })} dbname=replication replication=true connect_timeout=10`,
          "-c", "IDENTIFY_SYSTEM",
        ]),
      ),
    assert: (output, s) => {
      if (output.exitCode === 0 && /^\d+\|\d+\|/.test(output.stdout.trim())) return { ok: true };
      const source = s.nodes.find((n) => n.name === from(s.params))?.hostAddress ?? "this host";
      return { ok: false, reason: explainConnectionError(output.stderr || failure(output), { primary: primary(s.params), user: s.params.replicationUser, source }) };
    },
  };
}

/** precheck on the primary: enough free WAL senders for pg_basebackup -X stream (2) — the seed's second failure. */
export function sendersFreeCheck<P extends Base, I = null>(id: string, field: string, primary: Pick<P>, needed: number): LeafStep<StepScope<P, I>> {
  return {
    kind: "precheck",
    id,
    title: (s) => `${primary(s.params)} has ${needed} free WAL senders`,
    host: nodeSelector(primary),
    argv: (s) => onServer(s, field, primary(s.params), (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
    assert: parsed(serverFacts, (f, s) => {
      if (f.pending_restart.length > 0) return { ok: false, reason: `${primary(s.params)} has settings waiting for a restart (${f.pending_restart.join(", ")}): restart it first` };
      const free = f.max_wal_senders - f.senders_used;
      if (free >= needed) return { ok: true };
      return {
        ok: false,
        reason: `max_wal_senders is ${f.max_wal_senders} with ${f.senders_used} in use: pg_basebackup would fail with "number of requested standby connections exceeds max_wal_senders (currently ${f.max_wal_senders})". Raise it (ALTER SYSTEM SET max_wal_senders = ${f.senders_used + needed + 2}) and restart ${primary(s.params)}`,
      };
    }),
  };
}

/** precheck on a host: its PGDATA is empty or absent (pg_basebackup's requirement); Keel never deletes a data directory. */
export function emptyDataDirCheck<P extends Base, I = null>(id: string, field: string, pick: Pick<P>): LeafStep<StepScope<P, I>> {
  return {
    kind: "precheck",
    id,
    title: (s) => `${pick(s.params)}'s PGDATA is empty`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), () => dataDirProbe(s.settings)),
    assert: parsed(dataDirState, (d, s) => {
      if (d.running) return { ok: false, reason: `a server is running on ${d.pgdata}; stop it first` };
      if (d.entries > 0) {
        return { ok: false, reason: `${d.pgdata} on ${pick(s.params)}'s host is not empty (${d.version ? `PostgreSQL ${d.version} cluster` : `${d.entries} entries`}); pg_basebackup needs it empty — move it aside yourself, Keel does not delete data directories` };
      }
      return { ok: true };
    }),
  };
}

/** pg_basebackup on the standby's host from the primary, with progress (stderr), into the host's $PGDATA. */
export function basebackupStep<P extends Base & { replicationUser: string }, I = null>(id: string, fields: [string, string], primary: Pick<P>, target: Pick<P>, slot: (s: Sc<P>) => string | null): LeafStep<StepScope<P, I>> {
  return {
    kind: "action",
    id,
    title: (s) => `Clone ${primary(s.params)} onto ${target(s.params)} with pg_basebackup`,
    host: nodeSelector(target),
    argv: (s) =>
      onServer(s, fields[1], target(s.params), () =>
        onServer(s, fields[0], primary(s.params), (p) => {
          const major = majorOf(s.params.major);
          const slotName = slot(s);
          return [
            "sh", "-c", 'exec "$@" -D "$PGDATA"', "sh",
            tool(s.settings, "pg_basebackup"),
            "-h", p.host, "-p", String(p.port), "-U", s.params.replicationUser, "--no-password",
            walNames(major).basebackupWalFlag, "--checkpoint=fast", "--progress",
            ...(slotName !== null ? [`--slot=${slotName}`] : []),
          ];
        }),
      ),
    idempotent: false,
    timeoutMs: 6 * 60 * 60_000,
    onFailure: (s) =>
      `No server was changed. "no pg_hba.conf entry for replication connection": add the standby's address to ${primary(s.params)}'s pg_hba.conf and reload; ` +
      `"exceeds max_wal_senders": raise max_wal_senders on ${primary(s.params)} and restart it. ` +
      `pg_basebackup may have left a partial copy in $PGDATA on ${target(s.params)}'s host: empty that directory before retrying.`,
  };
}

/** Writes the standby configuration its major version reads (recovery.conf ≤ 11, postgresql.auto.conf + standby.signal 12+). */
/**
 * The configuration of a standby that streams from `upstream` (named by the `field` parameter), with its
 * own name as application_name and no archive: what set-up, fail-back and switch-back all write.
 */
export function streamsFrom<P extends Base & { replicationUser: string; triggerFile?: string | undefined }>(
  field: string,
  upstream: Pick<P>,
  self: Pick<P>,
  slotOf: (s: Sc<P>) => string,
): (s: Sc<P>) => StandbySpec | { ok: false; field: string; message: string } {
  return (s) => {
    const g = guardOf(s, field, upstream(s.params));
    if (!g.ok) return g;
    return {
      primary: { host: g.host, port: g.port, user: s.params.replicationUser, applicationName: self(s.params) },
      slot: slotOf(s),
      triggerFile: s.params.triggerFile ?? null,
      restoreCommand: null,
      archiveCleanupCommand: null,
    };
  };
}

export function standbyConfigStep<P extends Base, I = null>(id: string, field: string, target: Pick<P>, spec: (s: Sc<P>) => StandbySpec | { ok: false; field: string; message: string }): LeafStep<StepScope<P, I>> {
  const build = (s: Sc<P>) => {
    const sp = spec(s);
    if ("ok" in sp) return sp;
    return standbyConfig(majorOf(s.params.major), sp);
  };
  return {
    kind: "action",
    id,
    title: (s) => {
      const c = build(s);
      return `Configure ${target(s.params)} as a standby (${c.ok && c.era === "recovery.conf" ? "recovery.conf" : "standby.signal + postgresql.auto.conf"})`;
    },
    host: nodeSelector(target),
    argv: (s) => {
      const c = build(s);
      if (!c.ok) return c;
      return onServer(s, field, target(s.params), () => writeStandbyConfig(c).argv);
    },
    stdin: (s) => {
      const c = build(s);
      return c.ok ? writeStandbyConfig(c).stdin : null;
    },
    idempotent: true,
    onFailure: (s) => `${target(s.params)} is not started; fix the cause (disk, permissions on $PGDATA) and retry this step.`,
  };
}

// A cluster whose hosts share one machine keeps per-host settings in an included file (HOST_CONF):
// a clone or a rewind copies the source's, so it is written again for the server's own address.
const HOST_CONF_SCRIPT = 'set -e; umask 077; printf "listen_addresses = \'%s\'\\nport = %s\\nunix_socket_directories = \'%s\'\\n" "$1" "$2" "${PGHOST:-/tmp}" > "$PGDATA/$3"';

export function hostConfFile(settings: Settings): string | null {
  const v = settings.HOST_CONF;
  return typeof v === "string" && /^[A-Za-z0-9._-]+\.conf$/.test(v) ? v : null;
}

/**
 * Rewrites HOST_CONF on the server the item names (a forEach over that server when the cluster sets
 * HOST_CONF, over nothing otherwise).
 */
export function hostConfBlock<P extends Base>(forEach: StepBuilders<P>["forEach"], id: string, field: string, pick: Pick<P>): ForEachStep<P> {
  return forEach<string>({
    id,
    title: "Per-host settings file",
    items: (s) => (hostConfFile(s.settings) === null ? [] : [pick(s.params)]),
    label: (name) => name,
    steps: [
      {
        kind: "action",
        id: `${id}-write`,
        title: (s) => `Write ${s.item}'s own ${hostConfFile(s.settings) ?? "host settings"} (listen address, socket)`,
        host: { node: (s) => s.item },
        argv: (s) => {
          const g = server(s.nodes, s.settings, field, s.item);
          if (!g.ok) return g;
          return ["sh", "-c", HOST_CONF_SCRIPT, "sh", g.host, String(g.port), hostConfFile(s.settings) ?? ""];
        },
        idempotent: true,
        onFailure: "The server is not started; retry this step.",
      },
    ],
  });
}

export function startStep<P extends Base, I = null>(id: string, field: string, pick: Pick<P>, idempotent = true): LeafStep<StepScope<P, I>> {
  return {
    kind: "action",
    id,
    title: (s) => `Start ${pick(s.params)}`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), () => pgCtl(s.settings, "start")),
    idempotent,
    onFailure: (s) => `${pick(s.params)} did not start: read postgresql.log beside its PGDATA (a wrong setting, a port in use), fix it and retry.`,
  };
}

export function stopStep<P extends Base, I = null>(id: string, field: string, pick: Pick<P>): LeafStep<StepScope<P, I>> {
  return {
    kind: "action",
    id,
    title: (s) => `Stop ${pick(s.params)} (fast shutdown)`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), () => pgCtl(s.settings, "stop")),
    idempotent: false,
    onFailure: (s) => `${pick(s.params)} may still run: check with pg_ctl status, and stop it (pg_ctl stop -m fast) before going on.`,
  };
}

/** Creates the physical slot on the primary unless it exists (the seed's pg_create_physical_replication_slot). */
export function slotStep<P extends Base, I = null>(id: string, field: string, primary: Pick<P>, slot: (s: Sc<P>) => string): LeafStep<StepScope<P, I>> {
  return {
    kind: "action",
    id,
    title: (s) => `Create replication slot ${slot(s)} on ${primary(s.params)}`,
    host: nodeSelector(primary),
    argv: (s) =>
      onServer(s, field, primary(s.params), (g) =>
        psql(s.settings, g.port, `SELECT slot_name FROM pg_create_physical_replication_slot('${slot(s)}') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot(s)}')`),
      ),
    idempotent: true,
    onFailure: (s) => `Check max_replication_slots on ${primary(s.params)} (SHOW max_replication_slots) and retry.`,
  };
}

function standbyLine(d: { replay_lag_bytes: number | null; replay_lag_seconds: number | null; receive_lsn: string | null; replay_lsn: string | null; wal_receiver: { status: string | null } | null }): string {
  return `WAL receiver ${d.wal_receiver?.status ?? "not running"}, received ${d.receive_lsn ?? "-"}, replayed ${d.replay_lsn ?? "-"}, lag ${d.replay_lag_bytes ?? "?"} bytes / ${d.replay_lag_seconds === null ? "?" : Math.round(d.replay_lag_seconds)} s`;
}

/**
 * wait-until on a standby: `streaming` — its WAL receiver streams; `caught-up` — and replay lag is 0;
 * `replayed` — everything received is replayed, streaming or not (the primary may be gone).
 */
export function waitStreamingStep<P extends Base, I = null>(id: string, field: string, pick: Pick<P>, o: { until: "streaming" | "caught-up" | "replayed"; timeoutMs: number }): LeafStep<StepScope<P, I>> {
  const parse = (out: { exitCode: number; stdout: string; stderr: string }) => {
    if (out.exitCode !== 0) return { ok: false as const, reason: `psql ${failure(out)}` };
    const p = parseStandbyState(out.stdout);
    return p.ok ? { ok: true as const, value: p.value } : { ok: false as const, reason: `standby state: ${p.error.message}` };
  };
  return {
    kind: "wait-until",
    id,
    title: (s) =>
      o.until === "replayed" ? `Wait until ${pick(s.params)} has replayed all WAL it received` : `Wait until ${pick(s.params)} streams${o.until === "caught-up" ? " with replay lag 0" : ""}`,
    host: nodeSelector(pick),
    argv: (s) => onServer(s, field, pick(s.params), (g) => psql(s.settings, g.port, standbyQuery(majorOf(s.params.major)))),
    until: parsed(parse, (d, s): CheckResult => {
      if (!d.in_recovery) return { ok: false, reason: `${pick(s.params)} is not in recovery` };
      if (o.until === "replayed") return d.replay_lag_bytes === 0 || d.receive_lsn === null ? { ok: true } : { ok: false, reason: standbyLine(d) };
      if (d.wal_receiver?.status !== "streaming") return { ok: false, reason: standbyLine(d) };
      if (o.until === "caught-up" && d.replay_lag_bytes !== 0) return { ok: false, reason: standbyLine(d) };
      return { ok: true };
    }),
    progress: (out, s) => {
      const d = parse(out);
      return d.ok ? `${pick(s.params)}: ${standbyLine(d.value)}` : d.reason;
    },
    timeoutMs: o.timeoutMs,
    pollMs: POLL_MS,
    onFailure: (s) => `${pick(s.params)} is not streaming: read its postgresql.log (pg_hba, password, slot, missing WAL), fix and restart it.`,
  };
}

/** verify on the primary: the standby's walsender streams, its slot is active; lag shown. */
export function verifyStreamingStep<P extends Base, I = null>(id: string, field: string, primary: Pick<P>, slot: (s: Sc<P>) => string | null): LeafStep<StepScope<P, I>> {
  return {
    kind: "verify",
    id,
    title: (s) => `${primary(s.params)} streams to its standby${slot(s) ? ` through slot ${slot(s)}` : ""}`,
    host: nodeSelector(primary),
    argv: (s) => onServer(s, field, primary(s.params), (g) => psql(s.settings, g.port, primaryQuery(majorOf(s.params.major)))),
    assert: (out, s) => {
      if (out.exitCode !== 0) return { ok: false, reason: `psql ${failure(out)}` };
      const p = parsePrimaryState(out.stdout);
      if (!p.ok) return { ok: false, reason: `primary state: ${p.error.message}` };
      const streaming = p.value.replication.filter((r) => r.state === "streaming");
      if (streaming.length === 0) return { ok: false, reason: `no standby streams from ${primary(s.params)} (pg_stat_replication: ${p.value.replication.map((r) => r.state).join(", ") || "empty"})` };
      const name = slot(s);
      if (name !== null && !p.value.slots.some((x) => x.slot_name === name && x.active)) return { ok: false, reason: `slot ${name} is not active on ${primary(s.params)}` };
      return { ok: true };
    },
  };
}


export type PromoteChoice = "auto" | PromoteMethod;

/** promote (by the chosen method), wait until out of recovery, verify read-write on a timeline ≥ 2. */
export function promoteSteps<P extends Base, I = null>(
  field: string,
  pick: Pick<P>,
  methodOf: (p: P) => PromoteChoice,
  triggerOf: (p: P) => string | undefined,
  /** The server the promoted one replaces: recorded as the standby when the promotion succeeds. */
  replaced?: Pick<P>,
): LeafStep<StepScope<P, I>>[] {
  const method = (p: P): PromoteMethod => {
    const m = methodOf(p);
    return m === "auto" ? defaultPromoteMethod(majorOf(p.major)) : m;
  };
  return [
    {
      kind: "action",
      id: "promote",
      title: (s) => `Promote ${pick(s.params)} (${method(s.params)})`,
      host: nodeSelector(pick),
      argv: (s) =>
        onServer(s, field, pick(s.params), (g) => {
          const c = promoteCommand(majorOf(s.params.major), method(s.params), { pgbin: pgbinOf(s.settings), port: g.port, triggerFile: triggerOf(s.params) ?? null });
          return c.ok ? c.argv : c;
        }),
      idempotent: false,
      // The promotion is what makes the new roles true: Keel's inventory follows it.
      setsRoles: (s) => [{ node: pick(s.params), role: "primary" }, ...(replaced ? [{ node: replaced(s.params), role: "standby" }] : [])],
      onFailure: (s) => `${pick(s.params)} may still be a standby: check SELECT pg_is_in_recovery() and its log; promote it by hand (pg_ctl promote) once the cause is fixed.`,
    },
    {
      kind: "wait-until",
      id: "promoted",
      title: (s) => `Wait until ${pick(s.params)} leaves recovery`,
      host: nodeSelector(pick),
      argv: (s) => onServer(s, field, pick(s.params), (g) => psql(s.settings, g.port, factsQuery(majorOf(s.params.major)))),
      until: parsed(serverFacts, (f) => (f.in_recovery ? { ok: false, reason: "still in recovery" } : { ok: true })),
      progress: (out) => {
        const f = serverFacts(out);
        return f.ok ? (f.value.in_recovery ? "in recovery" : `primary on timeline ${f.value.timeline ?? "?"}`) : f.reason;
      },
      timeoutMs: 5 * 60_000,
      pollMs: POLL_MS,
      onFailure: (s) => `${pick(s.params)} did not finish recovery: read its log (missing WAL? a trigger file path that differs from its configuration?).`,
    },
    {
      kind: "verify",
      id: "read-write",
      title: (s) => `${pick(s.params)} accepts writes on a new timeline`,
      host: nodeSelector(pick),
      argv: (s) => onServer(s, field, pick(s.params), (g) => psql(s.settings, g.port, readWriteQuery(majorOf(s.params.major)))),
      assert: parsed(readWrite, (v) => {
        if (v.in_recovery || v.read_only !== "off") return { ok: false, reason: "still read-only" };
        return (v.timeline ?? 0) > 1 ? { ok: true } : { ok: false, reason: `timeline ${v.timeline ?? "?"}: a promotion always starts a new timeline (≥ 2)` };
      }),
    },
  ];
}

// txid_current() assigns a transaction id, which a server in recovery refuses: a write, not a setting.
function readWriteQuery(major: Major): string {
  const walFile = major.num >= 100000 ? "pg_walfile_name(pg_current_wal_lsn())" : "pg_xlogfile_name(pg_current_xlog_location())";
  return `SELECT json_build_object('xid', txid_current(), 'in_recovery', pg_is_in_recovery(), 'read_only', current_setting('transaction_read_only'), 'timeline', ('x' || substr(${walFile}, 1, 8))::bit(32)::int)`;
}

const readWrite = jsonLine(z.object({ in_recovery: z.boolean(), read_only: z.string(), timeline: z.number().int().nullable() }), "read-write check");
