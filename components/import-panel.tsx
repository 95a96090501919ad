"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { callApi } from "./api-client";
import { Badge } from "./badge";

const node = z.object({ name: z.string(), type: z.string(), role: z.string(), group: z.string().nullable() });
const previewSchema = z.object({
  source: z.object({ argv: z.array(z.string()), hostName: z.string() }),
  diff: z.object({
    createGroups: z.array(z.string()),
    createNodes: z.array(node.extend({ host: z.object({ matched: z.boolean(), hostName: z.string().optional(), reason: z.string().optional() }) })),
    presentNodes: z.array(node),
    conflictingNodes: z.array(node.extend({ differences: z.array(z.string()) })),
    needsHost: z.array(z.string()),
    warnings: z.array(z.string()),
  }),
  expect: z.array(z.string()),
});

/**
 * Import in two steps: read the cluster's own status output and show what would be created (nothing
 * written but the audited command), then create exactly what was shown — the server re-reads and
 * refuses if the cluster changed in between.
 */
export function ImportPanel({ clusterId, hosts }: { clusterId: string; hosts: { id: string; label: string }[] }) {
  const router = useRouter();
  const [hostId, setHostId] = useState(hosts[0]?.id ?? "");
  const preview = useMutation({ mutationFn: async () => previewSchema.parse(await callApi("POST", `/api/v1/clusters/${clusterId}/import/preview`, { hostId })) });
  const apply = useMutation({
    mutationFn: () => callApi("POST", `/api/v1/clusters/${clusterId}/import/apply`, { hostId, expect: preview.data?.expect ?? [] }),
    onSuccess: () => {
      preview.reset();
      router.refresh();
    },
  });
  const diff = preview.data?.diff;
  return (
    <div className="space-y-2" data-testid="import-panel">
      <p className="text-slate-600">Read the nodes and groups from the cluster&apos;s own status output instead of typing them.</p>
      <div className="flex gap-2">
        <select aria-label="Run the status command on" className="input" value={hostId} onChange={(e) => setHostId(e.target.value)}>
          {hosts.map((h) => <option key={h.id} value={h.id}>{h.label}</option>)}
        </select>
        <button type="button" className="btn" disabled={!hostId || preview.isPending} onClick={() => preview.mutate()}>
          {preview.isPending ? "Reading…" : "Preview import"}
        </button>
      </div>
      {preview.error ? <p role="alert" className="text-red-700">{preview.error.message}</p> : null}
      {preview.data && diff ? (
        <div className="rounded border border-slate-300 p-2">
          <p className="text-xs text-slate-600">From <span className="font-mono">{preview.data.source.argv.join(" ")}</span> on {preview.data.source.hostName}:</p>
          <ul className="my-1 space-y-0.5">
            {diff.createGroups.map((g) => <li key={`g-${g}`}><Badge tone="info">new group</Badge> {g}</li>)}
            {diff.createNodes.map((n) => (
              <li key={n.name}><Badge tone="info">new</Badge> <span className="font-mono">{n.name}</span> {n.type}{n.group ? ` in ${n.group}` : ""} → {n.host.matched ? n.host.hostName : <span className="text-amber-800">{n.host.reason}; goes on {preview.data.source.hostName}</span>}</li>
            ))}
            {diff.presentNodes.map((n) => <li key={n.name}><Badge>present</Badge> <span className="font-mono">{n.name}</span></li>)}
            {diff.conflictingNodes.map((n) => <li key={n.name}><Badge tone="bad">differs, left alone</Badge> <span className="font-mono">{n.name}</span>: {n.differences.join("; ")}</li>)}
            {diff.warnings.map((w) => <li key={w} className="text-amber-800">⚑ {w}</li>)}
          </ul>
          <button type="button" className="btn btn-primary" disabled={apply.isPending || diff.createNodes.length + diff.createGroups.length === 0} onClick={() => apply.mutate()}>
            {apply.isPending ? "Importing…" : `Import ${diff.createNodes.length} node(s), ${diff.createGroups.length} group(s)`}
          </button>
          {apply.error ? <p role="alert" className="text-red-700">{apply.error.message}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
