"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { clusterObservationSchema } from "@/lib/status/types";
import { callApi } from "./api-client";
import { Badge } from "./badge";
import { HealthBadge } from "./health-badge";
import { PanelView } from "./panel-view";

const statusSchema = z.object({
  state: z
    .object({ at: z.string(), health: z.string(), reason: z.string(), observation: clusterObservationSchema, durationMs: z.number() })
    .nullable(),
  intervalS: z.number(),
  now: z.string(),
});

const STATE_TONE: Record<string, "good" | "warn" | "bad" | "info" | "neutral"> = {
  primary: "good", normal: "good", leader: "good", OPEN: "good", UP: "good", "UP(NRML)": "good", streaming: "good", running: "info",
  readonly: "warn", "sync-standby": "info", "sync-active": "info", stopped: "neutral",
  scrapped: "bad", unknown: "bad", "**unknown**": "bad", CLOSE: "bad", DOWN: "bad",
};

function StateCell({ value, off }: { value: string | null; off: boolean }) {
  if (value === null || value === "") return <span className="text-slate-400">—</span>;
  return <Badge tone={off ? "bad" : (STATE_TONE[value] ?? "neutral")}>{value}</Badge>;
}

/** The observed cluster table, refreshed in place; rows whose actual state differs from the desired one stand out. */
export function ClusterStatePanel({ clusterId, canRefresh }: { clusterId: string; canRefresh: boolean }) {
  const status = useQuery({
    queryKey: ["cluster-status", clusterId],
    queryFn: async () => statusSchema.parse(await callApi("GET", `/api/v1/clusters/${clusterId}/status`)),
    refetchInterval: 2000,
  });
  const refresh = useMutation({
    mutationFn: () => callApi("POST", `/api/v1/clusters/${clusterId}/status/refresh`, {}),
    onSettled: () => status.refetch(),
  });
  const data = status.data;
  const state = data?.state ?? null;
  const ageS = state && data ? Math.max(0, Math.round((Date.parse(data.now) - Date.parse(state.at)) / 1000)) : null;
  const stale = ageS !== null && data ? ageS > data.intervalS * 3 : false;
  const nodes = state?.observation.nodes ?? [];
  const detailKeys = [...new Set(nodes.flatMap((n) => Object.keys(n.detail)))];

  return (
    <section className="card p-0" data-testid="cluster-state">
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3">
        <h2 className="font-semibold">Observed state</h2>
        {state ? <HealthBadge health={state.health} /> : <Badge>no sample yet</Badge>}
        {state ? <span className="text-slate-700" data-testid="health-reason">{state.reason}</span> : null}
        <span className="ml-auto text-xs text-slate-500" data-testid="sample-age">
          {state ? `sampled ${ageS}s ago` : "waiting for the first sample"}
          {stale ? <Badge tone="warn">stale</Badge> : null}
        </span>
        {canRefresh ? (
          <button type="button" className="btn" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
            {refresh.isPending ? "Sampling…" : "Refresh now"}
          </button>
        ) : null}
      </div>
      {status.error ? <p role="alert" className="px-4 text-red-700">{status.error.message}</p> : null}
      <table className="grid-table mt-2" data-testid="state-table">
        <thead>
          <tr>
            <th>Node type</th><th>Node name</th><th>Group</th><th>Group state</th><th>Desired</th><th>Actual</th><th>RP state</th>
            {detailKeys.map((k) => <th key={k}>{k}</th>)}
          </tr>
        </thead>
        <tbody>
          {nodes.length === 0 ? (
            <tr><td colSpan={7 + detailKeys.length} className="text-slate-500">{state ? "No nodes observed." : "—"}</td></tr>
          ) : nodes.map((n) => (
            <tr key={`${n.type}:${n.name}`} data-node={n.name} data-mismatch={n.mismatch} className={n.mismatch ? "bg-red-50" : ""}>
              <td>{n.type}</td>
              <td className="font-mono">{n.name}{n.flags.length ? <span title={n.flags.join("\n")} className="ml-1 text-amber-700">⚑</span> : null}</td>
              <td>{n.group ?? "—"}</td>
              <td><StateCell value={n.groupState} off={n.groupState !== null && n.groupState !== "normal"} /></td>
              <td><StateCell value={n.desired} off={false} /></td>
              <td><StateCell value={n.actual} off={n.mismatch} /></td>
              <td><StateCell value={n.rpState} off={false} /></td>
              {detailKeys.map((k) => <td key={k} className="font-mono text-xs">{n.detail[k] === undefined || n.detail[k] === null ? "—" : String(n.detail[k])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {state && state.observation.errors.length > 0 ? (
        <ul className="space-y-1 px-4 py-2" role="alert" data-testid="probe-errors">
          {state.observation.errors.map((e) => <li key={e.host + e.message} className="text-red-800"><span className="font-mono">{e.host}</span>: {e.message}</li>)}
        </ul>
      ) : null}
      {state && Object.keys(state.observation.panels).length > 0 ? (
        <div className="grid gap-3 border-t border-slate-200 px-4 py-3 lg:grid-cols-2" data-testid="engine-panels">
          {Object.entries(state.observation.panels).map(([name, panel]) => (
            <div key={name} className="overflow-x-auto" data-panel={name}>
              <h3 className="mb-1 font-semibold text-slate-800">{name}</h3>
              <PanelView value={panel as Parameters<typeof PanelView>[0]["value"]} />
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
