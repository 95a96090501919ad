// PostgreSQL streaming replication probe: the role-appropriate query on every server (psql on the
// server's own host), then roles, timelines, streaming, slots, lag and archiver failures.
import { judge, mapLimited, runCommand, unreadable, type HostError } from "../../status/health";
import type { ObservedNode, ProbeTarget, Prober, RemoteRunner } from "../../status/types";
import { endpointOf, psqlArgv } from "./commands";
import { archiverFailing, parsePrimaryState, parseStandbyState, type PrimaryState, type StandbyState } from "./parse";
import { primaryQuery, standbyQuery } from "./queries";
import { majorOfVersionNum, parseMajor, pgNames, type PgMajor } from "./version";

export const DEFAULT_LAG_BYTES_MAX = 16 * 1024 * 1024;
export const DEFAULT_LAG_SECONDS_MAX = 60;

type Role = "primary" | "standby";
type Server = ProbeTarget["nodes"][number];
type Observed =
  | { node: Server; endpoint: { host: string; port: number }; role: "primary"; state: PrimaryState }
  | { node: Server; endpoint: { host: string; port: number }; role: "standby"; state: StandbyState };

type Settings = { port: number; user: string | undefined; pgbin: string | undefined; lagBytesMax: number; lagSecondsMax: number };

function settingsOf(target: ProbeTarget): Settings {
  const s = target.settings;
  const number = (v: unknown, fallback: number) => (v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : fallback);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  return {
    port: number(s.PGPORT, 5432),
    user: text(s.PGUSER),
    pgbin: text(s.PGBIN),
    lagBytesMax: number(s.LAG_BYTES_MAX, DEFAULT_LAG_BYTES_MAX),
    lagSecondsMax: number(s.LAG_SECONDS_MAX, DEFAULT_LAG_SECONDS_MAX),
  };
}

async function query(run: RemoteRunner, node: Server, endpoint: Observed["endpoint"], settings: Settings, major: PgMajor, role: Role) {
  const sql = role === "primary" ? primaryQuery(major) : standbyQuery(major);
  // psql runs on the server's own host and connects locally (socket or the host's PGHOST): the host
  // account's local access is what Keel relies on, so no database password travels or is stored.
  const argv = psqlArgv({ port: endpoint.port, user: settings.user, pgbin: settings.pgbin }, sql);
  if (!argv.ok) return { ok: false as const, message: argv.message };
  const result = await runCommand(run, node.hostName, argv.argv, { timeoutMs: 15_000 });
  if (!result.ok) return { ok: false as const, message: result.message };
  const parsed = role === "primary" ? parsePrimaryState(result.stdout) : parseStandbyState(result.stdout);
  if (!parsed.ok) return { ok: false as const, message: unreadable(`psql (${role} query)`, parsed.error) };
  return { ok: true as const, state: parsed.value };
}

/** Asks the server as the role the inventory expects; when it is the other role, asks again as that. */
async function observe(run: RemoteRunner, node: Server, settings: Settings, major: PgMajor): Promise<Observed | string> {
  const endpoint = endpointOf(node.name, node.hostAddress, settings.port);
  const expected: Role = node.role === "standby" ? "standby" : "primary";
  const first = await query(run, node, endpoint, settings, major, expected);
  if (!first.ok) return first.message;
  const actual: Role = first.state.in_recovery ? "standby" : "primary";
  const answer = actual === expected ? first : await query(run, node, endpoint, settings, major, actual);
  if (!answer.ok) return answer.message;
  return actual === "primary"
    ? { node, endpoint, role: "primary", state: answer.state as PrimaryState }
    : { node, endpoint, role: "standby", state: answer.state as StandbyState };
}

function timelineOf(o: Observed): number | null {
  if (o.role === "standby") return o.state.wal_receiver?.received_tli ?? o.state.checkpoint_timeline;
  return o.state.current_timeline ?? o.state.checkpoint_timeline;
}

/**
 * The primary's pg_stat_replication row for a standby: by application_name (cluster_name or
 * primary_conninfo's), else by client address, else the only row when there is one standby — loopback
 * connections all come from 127.0.0.1, so the address alone cannot tell lab standbys apart.
 */
function senderRowFor(all: Observed[], standby: Observed) {
  const rows = all.flatMap((p) => (p.role === "primary" ? p.state.replication : []));
  const standbys = all.filter((o) => o.role === "standby");
  return (
    rows.find((r) => r.application_name === standby.node.name) ??
    rows.find((r) => r.client_addr === standby.endpoint.host || r.client_addr === standby.node.hostAddress) ??
    (rows.length === 1 && standbys.length === 1 ? rows[0] : undefined)
  );
}

function streamingOf(o: Observed, sender: ReturnType<typeof senderRowFor>, major: PgMajor): string | null {
  if (o.role !== "standby") return null;
  if (pgNames(major).hasWalReceiver) return o.state.wal_receiver?.status ?? null;
  return sender?.state ?? null;
}

function toNode(o: Observed, all: Observed[], major: PgMajor, settings: Settings, problems: string[]): ObservedNode {
  const flags: string[] = [];
  const mismatches: string[] = [];
  const desired = o.node.role === "standby" ? "standby" : "primary";
  if (desired !== o.role) mismatches.push(`desired ${desired}, is ${o.role === "standby" ? "a standby (in recovery)" : "a primary"}`);
  const versionMajor = majorOfVersionNum(o.state.server_version_num);
  if (versionMajor !== major.num) flags.push(`server version ${o.state.server_version_num} is not the inventory's ${major.text}`);
  const archiver = o.state.archiver;
  const archiving = archiverFailing(archiver);
  if (archiving) problems.push(`server ${o.node.name}: archiving failing since ${archiver?.last_failed_time ?? "?"} (${archiver?.last_failed_wal ?? "?"})`);
  const common = {
    timeline: timelineOf(o),
    checkpointTimeline: o.state.checkpoint_timeline,
    archivedCount: archiver?.archived_count ?? null,
    archiveFailedCount: archiver?.failed_count ?? null,
    archiveFailing: archiving,
    lastFailedWal: archiver?.last_failed_wal ?? null,
  };
  let rpState: string | null = null;
  let detail: ObservedNode["detail"];
  if (o.role === "primary") {
    const streaming = o.state.replication.filter((r) => r.state === "streaming").length;
    for (const slot of o.state.slots) {
      if (!slot.active) problems.push(`slot ${slot.slot_name} on ${o.node.name} inactive${slot.retained_bytes !== null ? `, retaining ${slot.retained_bytes} bytes` : ""}`);
    }
    detail = { ...common, currentLsn: o.state.current_lsn, senders: o.state.replication.length, streaming, slots: o.state.slots.length };
  } else {
    const sender = senderRowFor(all, o);
    rpState = streamingOf(o, sender, major);
    const lagBytes = o.state.replay_lag_bytes;
    const lagSeconds = o.state.replay_lag_seconds;
    const primaryLag = sender?.replay_lag_bytes ?? null;
    if (desired === "standby" && rpState !== "streaming") mismatches.push(`not streaming (WAL receiver ${rpState ?? "not running"})`);
    const worstBytes = Math.max(lagBytes ?? 0, primaryLag ?? 0);
    if (worstBytes > settings.lagBytesMax) mismatches.push(`replay lag ${worstBytes} bytes (limit ${settings.lagBytesMax})`);
    if (lagSeconds !== null && lagSeconds > settings.lagSecondsMax) mismatches.push(`replay lag ${Math.round(lagSeconds)} s (limit ${settings.lagSecondsMax})`);
    const primaryTimeline = all.find((p) => p.role === "primary");
    const tl = timelineOf(o);
    if (primaryTimeline && tl !== null && timelineOf(primaryTimeline) !== null && tl !== timelineOf(primaryTimeline)) {
      flags.push(`timeline ${tl} differs from the primary's ${String(timelineOf(primaryTimeline))}`);
    }
    detail = {
      ...common,
      receiveLsn: o.state.receive_lsn,
      replayLsn: o.state.replay_lsn,
      lagBytes,
      lagSeconds,
      primaryReplayLagBytes: primaryLag,
      syncState: sender?.sync_state ?? null,
      sender: o.state.wal_receiver?.sender_host ? `${o.state.wal_receiver.sender_host}:${String(o.state.wal_receiver.sender_port ?? "")}` : null,
    };
  }
  for (const m of mismatches) problems.push(`${o.role === desired ? o.role : "server"} ${o.node.name}: ${m}`);
  return { name: o.node.name, type: "server", group: null, groupState: null, desired, actual: o.role, rpState, mismatch: mismatches.length > 0, detail, flags };
}

function unreachableNode(node: Server): ObservedNode {
  return {
    name: node.name,
    type: "server",
    group: null,
    groupState: null,
    desired: node.role === "standby" ? "standby" : "primary",
    actual: null,
    rpState: null,
    mismatch: true,
    detail: {},
    flags: ["no answer"],
  };
}

export const probePostgres: Prober = async (target, run) => {
  const major = parseMajor(target.version);
  if (!major.ok) return { health: "unknown", reason: major.message, nodes: [], panels: {}, errors: [] };
  const settings = settingsOf(target);
  const servers = target.nodes.filter((n) => n.type === "server");
  if (servers.length === 0) return { health: "unknown", reason: "no server in the inventory", nodes: [], panels: {}, errors: [] };
  const answers = await mapLimited(servers, 8, (node) => observe(run, node, settings, major.value));
  const errors: HostError[] = [];
  const observed: Observed[] = [];
  answers.forEach((a, i) => {
    const node = servers[i];
    if (!node) return;
    if (typeof a === "string") errors.push({ host: node.hostName, message: `${node.name}: ${a}` });
    else observed.push(a);
  });
  const problems: string[] = [];
  const nodes = servers.map((server) => {
    const o = observed.find((x) => x.node === server);
    return o ? toNode(o, observed, major.value, settings, problems) : unreachableNode(server);
  });
  const primaries = observed.filter((o) => o.role === "primary").map((o) => o.node.name);
  if (observed.length > 0 && primaries.length === 0) problems.unshift("no server is primary");
  if (primaries.length > 1) problems.unshift(`${primaries.length} servers are primary: ${primaries.join(", ")}`);
  const panels = {
    replication: {
      version: major.value.text,
      servers: nodes.map((n) => ({ name: n.name, role: n.actual, desired: n.desired, timeline: n.detail.timeline ?? null, streaming: n.rpState, lagBytes: n.detail.lagBytes ?? null, lagSeconds: n.detail.lagSeconds ?? null })),
      senders: observed.flatMap((o) => (o.role === "primary" ? o.state.replication.map((r) => ({ primary: o.node.name, ...r })) : [])),
      slots: observed.flatMap((o) => (o.role === "primary" ? o.state.slots.map((s) => ({ primary: o.node.name, ...s })) : [])),
      archiver: observed.map((o) => ({ server: o.node.name, ...o.state.archiver })),
    },
  };
  if (observed.length === 0) {
    return { health: "down", reason: `no server answered: ${errors.map((e) => e.message).join("; ")}`, nodes, panels, errors };
  }
  return { ...judge(problems, errors, `primary ${primaries.join(", ")}; ${nodes.length - 1} standby(s) streaming, lag within limits`), nodes, panels, errors };
};
