import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh";
import { Forbidden } from "@/components/forbidden";
import { HealthBadge } from "@/components/health-badge";
import { HealthHistory } from "@/components/health-history";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { ENGINE_SPECS, ENGINES } from "@/lib/inventory/engines";
import { listClusters } from "@/lib/inventory/queries";
import { healthHistory, latestHealthByCluster } from "@/lib/status/queries";
import { RunStateBadge } from "@/components/runs/run-state-badge";
import { activeRunsByCluster, type RunSummary } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

const HEALTHS = ["healthy", "degraded", "down", "unknown"] as const;
const ageOf = (iso: string) => Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));

function ActiveRun({ run }: { run: RunSummary | undefined }) {
  if (!run) return <span className="text-slate-400">—</span>;
  return (
    <Link href={`/runs/${run.id}`} className="flex items-center gap-1 text-sky-800 hover:underline">
      <RunStateBadge state={run.state} />
      {run.title}
    </Link>
  );
}

export default async function ClustersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="view clusters" />;
  const { engine, health } = await searchParams;
  const [clusters, latest, history, active] = await Promise.all([
    listClusters(),
    latestHealthByCluster(),
    healthHistory(),
    can(user.role, "runs:read") ? activeRunsByCluster() : Promise.resolve(new Map<string, RunSummary>()),
  ]);
  const rows = clusters
    .map((c) => ({ ...c, state: latest.get(c.id) ?? null }))
    .filter((c) => !engine || c.engine === engine)
    .filter((c) => !health || (c.state?.health ?? "unknown") === health);
  const interval = Math.max(1, Number(process.env.KEEL_SAMPLE_INTERVAL_S ?? 10));
  return (
    <div>
      <AutoRefresh seconds={5} />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h1 className="page-title mb-0">Clusters</h1>
        <form className="ml-4 flex gap-2" method="get">
          <select name="engine" aria-label="Engine filter" className="input w-auto" defaultValue={engine ?? ""}>
            <option value="">all engines</option>
            {ENGINES.map((e) => <option key={e} value={e}>{ENGINE_SPECS[e].label}</option>)}
          </select>
          <select name="health" aria-label="Health filter" className="input w-auto" defaultValue={health ?? ""}>
            <option value="">any health</option>
            {HEALTHS.map((h) => <option key={h} value={h}>{h}</option>)}
          </select>
          <button className="btn" type="submit">Filter</button>
        </form>
        {can(user.role, "inventory:write") ? <Link href="/clusters/new" className="btn btn-primary ml-auto">New cluster</Link> : null}
      </div>
      <table className="grid-table card p-0" data-testid="clusters-table">
        <thead>
          <tr><th>Name</th><th>Engine</th><th>Version</th><th>Health</th><th>Reason</th><th>Nodes up</th><th>Sample age</th><th>Active run</th><th>Last 24 h</th></tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={9} className="text-slate-500">{clusters.length === 0 ? "No clusters yet." : "No cluster matches the filter."}</td></tr>
          ) : rows.map((c) => {
            const age = c.state ? ageOf(c.state.at) : null;
            return (
              <tr key={c.id} data-cluster={c.name} className={c.state && c.state.health !== "healthy" ? "bg-amber-50/60" : ""}>
                <td><Link className="font-medium text-sky-800 hover:underline" href={`/clusters/${c.id}`}>{c.name}</Link></td>
                <td>{ENGINE_SPECS[c.engine].label}</td>
                <td className="font-mono">{c.version}</td>
                <td><HealthBadge health={c.state?.health ?? "unknown"} /></td>
                <td className="max-w-sm text-slate-700">{c.state?.reason ?? (c.nodeCount === 0 ? "no nodes in the inventory" : "not sampled yet")}</td>
                <td className="font-mono">{c.state ? `${c.state.up}/${c.state.total}` : `—/${c.nodeCount}`}</td>
                <td className={age !== null && age > interval * 3 ? "font-medium text-amber-800" : "text-slate-600"}>{age === null ? "—" : `${age}s${age > interval * 3 ? " (stale)" : ""}`}</td>
                <td data-testid="active-run"><ActiveRun run={active.get(c.id)} /></td>
                <td><HealthHistory series={history.get(c.id) ?? Array.from({ length: 96 }, () => null)} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
