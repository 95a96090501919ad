import Link from "next/link";

import type { RunSummary } from "@/lib/runs/queries";
import { RunStateBadge } from "./run-state-badge";

export function RunsTable({ runs, showCluster = false }: { runs: RunSummary[]; showCluster?: boolean }) {
  return (
    <table className="grid-table" data-testid="runs-table">
      <thead><tr><th>Started</th>{showCluster ? <th>Cluster</th> : null}<th>Procedure</th><th>By</th><th>State</th><th>Where it stands</th></tr></thead>
      <tbody>
        {runs.length === 0 ? <tr><td colSpan={6} className="text-slate-500">No runs yet.</td></tr> : runs.map((r) => (
          <tr key={r.id} data-run={r.id} data-state={r.state}>
            <td className="font-mono text-xs"><Link href={`/runs/${r.id}`} className="text-sky-800 underline">{r.createdAt.replace("T", " ").slice(0, 19)}</Link></td>
            {showCluster ? <td>{r.clusterName}</td> : null}
            <td>{r.title}</td>
            <td>{r.startedByEmail}</td>
            <td><RunStateBadge state={r.state} /></td>
            <td className="max-w-md truncate text-xs text-slate-600" title={r.stateReason}>{r.stateReason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
