// GBase 8a status probe: `gcadmin` on a coordinator (the next one when a coordinator fails), and per
// gcware node a listing of $GCWARE_BASE/data/gcware for the snapshot panel (seed 002).
import { judge, mapLimited, runCommand, unreadable, type HostError } from "../../status/health";
import type { ObservedNode, ProbeTarget, Prober, RemoteRunner } from "../../status/types";
import { gcadminArgv, gcwareBaseSchema } from "./commands";
import { parseGcadmin } from "./parse-gcadmin";
import { snapshotPanelRow, type GcwareSnapshotPanelRow } from "./snapshot-panel";
import type { CoordinatorRow, DataNodeRow, GcadminStatus, ParseWarning } from "./types";
import { isUnknown, textOf } from "./values";

export type { GcwareSnapshotPanelRow } from "./snapshot-panel";

type Answer = { host: string; status: GcadminStatus; warnings: ParseWarning[] };

/** `GCWARE_BASE@<node>` in the cluster settings, for an estate whose nodes do not share one path. */
export function gcwareBaseOverride(settings: ProbeTarget["settings"], node: string): string | null {
  const value = settings[`GCWARE_BASE@${node}`];
  return typeof value === "string" && value !== "" ? value : null;
}

// The seed reads `$GCWARE_BASE` of the gbase user on each node; the cluster setting is the fallback for
// sessions whose environment does not set it. The path is an argument ($1), never part of the script.
const LIST_SCRIPT = 'exec env LC_ALL=C ls -l --time-style=long-iso -- "${GCWARE_BASE:-$1}/data/gcware"';

/** argv listing a node's gcware data directory: a per-node override, else the host's $GCWARE_BASE, else the setting. */
export function listSnapshotsArgv(settings: ProbeTarget["settings"], node: string): string[] | string {
  const override = gcwareBaseOverride(settings, node);
  const fallback = override ?? settings.GCWARE_BASE;
  if (fallback === undefined || fallback === "") return ["sh", "-c", LIST_SCRIPT, "sh", ""];
  const base = gcwareBaseSchema.safeParse(String(fallback).replace(/(.)\/+$/, "$1"));
  if (!base.success) return `GCWARE_BASE setting: ${base.error.issues[0]?.message ?? "missing"}`;
  if (override) return ["env", "LC_ALL=C", "ls", "-l", "--time-style=long-iso", "--", `${base.data}/data/gcware`];
  return ["sh", "-c", LIST_SCRIPT, "sh", base.data];
}

async function askGcadmin(run: RemoteRunner, host: string): Promise<Answer | string> {
  const result = await runCommand(run, host, gcadminArgv());
  if (!result.ok) return result.message;
  const parsed = parseGcadmin(result.stdout);
  if (!parsed.ok) return unreadable("gcadmin", parsed.error);
  return { host, ...parsed.value };
}

const closed = (services: Record<string, CoordinatorRow["gcware"]>): string[] =>
  Object.entries(services)
    .filter(([, state]) => state !== "OPEN")
    .map(([name, state]) => `${name} ${textOf(state)}`);

function nodeOf(
  name: string,
  type: string,
  services: Record<string, CoordinatorRow["gcware"]>,
  dataState: CoordinatorRow["dataState"],
  detail: ObservedNode["detail"],
): ObservedNode {
  const down = closed(services);
  const flags = [
    ...Object.entries(services)
      .filter(([, s]) => isUnknown(s))
      .map(([svc, s]) => `unrecognized ${svc} state '${textOf(s)}'`),
    ...(isUnknown(dataState) ? [`unrecognized DataState '${textOf(dataState)}'`] : []),
  ];
  const dataBad = dataState !== 0;
  return {
    name,
    type,
    group: null,
    groupState: null,
    desired: "OPEN",
    actual: down.length === 0 ? "OPEN" : down.join(", "),
    rpState: null,
    mismatch: down.length > 0 || dataBad,
    detail: { ...detail, ...Object.fromEntries(Object.entries(services).map(([k, v]) => [k, textOf(v)])), DataState: textOf(dataState) },
    flags,
  };
}

export function observedNodes(status: GcadminStatus): ObservedNode[] {
  const coordinators = status.coordinators.rows.map((r: CoordinatorRow) =>
    nodeOf(r.name, "coordinator", { gcware: r.gcware, gcluster: r.gcluster }, r.dataState, { IpAddress: r.ip, ...r.extra }),
  );
  const data = status.dataNodes.rows.map((r: DataNodeRow) =>
    nodeOf(r.name, "data", { gnode: r.gnode, syncserver: r.syncserver }, r.dataState, {
      IpAddress: r.ip,
      DistributionId: textOf(r.distributionId),
      ...r.extra,
    }),
  );
  return [...coordinators, ...data];
}

function problemsOf(status: GcadminStatus, nodes: readonly ObservedNode[]): string[] {
  const problems: string[] = [];
  if (status.clusterState !== "ACTIVE") problems.push(`CLUSTER STATE ${textOf(status.clusterState)}`);
  for (const n of nodes) {
    if (!n.mismatch) continue;
    const parts = [n.actual !== "OPEN" ? n.actual : null, n.detail.DataState !== "0" ? `DataState ${String(n.detail.DataState)}` : null];
    problems.push(`${n.type} ${n.name}: ${parts.filter((p) => p !== null).join(", ")}`);
  }
  return problems;
}

/** Which inventory host runs a gcware node: by node name, else by the address gcadmin prints. */
function hostOfRow(target: ProbeTarget, row: CoordinatorRow): string | null {
  const byName = target.nodes.find((n) => n.name === row.name);
  const byIp = target.nodes.find((n) => n.hostAddress === row.ip);
  return (byName ?? byIp)?.hostName ?? null;
}

async function snapshotRow(run: RemoteRunner, target: ProbeTarget, row: CoordinatorRow): Promise<GcwareSnapshotPanelRow> {
  const host = hostOfRow(target, row);
  const empty = { node: row.name, host, newest: null, inProgress: [], redologs: [], flags: [] };
  if (!host) return { ...empty, error: `no inventory host for gcware node ${row.name} (${row.ip})` };
  const argv = listSnapshotsArgv(target.settings, row.name);
  if (typeof argv === "string") return { ...empty, error: argv };
  const result = await runCommand(run, host, argv);
  if (!result.ok) return { ...empty, error: `listing the gcware data directory: ${result.message}` };
  return snapshotPanelRow(row.name, host, result.stdout);
}

export const probeGbase: Prober = async (target, run) => {
  const errors: HostError[] = [];
  const hosts = [...new Set(target.nodes.filter((n) => n.type === "coordinator").map((n) => n.hostName))];
  if (hosts.length === 0) return { health: "unknown", reason: "no coordinator in the inventory", nodes: [], panels: {}, errors };
  let answer: Answer | undefined;
  for (const host of hosts) {
    const asked = await askGcadmin(run, host);
    if (typeof asked !== "string") {
      answer = asked;
      break;
    }
    errors.push({ host, message: asked });
  }
  if (!answer) {
    return { health: "down", reason: `gcadmin answered on no coordinator: ${errors.map((e) => `${e.host}: ${e.message}`).join("; ")}`, nodes: [], panels: {}, errors };
  }
  const nodes = observedNodes(answer.status);
  const snapshots = await mapLimited(answer.status.coordinators.rows, 8, (row) => snapshotRow(run, target, row));
  for (const s of snapshots) if (s.error) errors.push({ host: s.host ?? s.node, message: s.error });
  const problems = problemsOf(answer.status, nodes);
  const panels = {
    gbase: {
      gcadminHost: answer.host,
      clusterState: textOf(answer.status.clusterState),
      virtualClusterMode: textOf(answer.status.virtualClusterMode),
      warnings: answer.warnings.map((w) => `line ${w.lineNumber}: ${w.message}`),
    },
    gcwareSnapshots: snapshots,
  };
  return { ...judge(problems, errors, `all ${nodes.length} nodes OPEN, DataState 0`), nodes, panels, errors };
};
