import Link from "next/link";
import { AuditVerify } from "@/components/audit-verify";
import { Badge } from "@/components/badge";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { auditFilterSchema, distinctAuditValues, listAuditEvents } from "@/lib/audit/query";

/** The run an event belongs to (run events and the commands a run executed carry payload.runId). */
function runIdOf(payload: unknown): string | null {
  const value = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>).runId : null;
  return typeof value === "string" && /^[0-9a-f-]{36}$/.test(value) ? value : null;
}

export const dynamic = "force-dynamic";

const OUTCOME_TONE = { ok: "good", denied: "warn", failed: "bad" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, allowed } = await pageAccess("audit:read");
  if (!allowed) return <Forbidden role={user.role} what="read the audit log" />;
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const [page, options] = await Promise.all([listAuditEvents(filter), distinctAuditValues()]);
  const keep = new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "" && e[0] !== "before"));
  const nextHref = page.nextBefore ? `/audit?${new URLSearchParams([...keep, ["before", page.nextBefore]])}` : null;
  const exportQuery = new URLSearchParams([...keep].filter(([k]) => k !== "limit"));
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-2">
        <h1 className="page-title mb-0">Audit log</h1>
        <div className="ml-auto flex gap-2">
          <a className="btn" href={`/api/v1/audit/export?${new URLSearchParams([...exportQuery, ["format", "csv"]])}`} data-testid="export-csv">Export CSV</a>
          <a className="btn" href={`/api/v1/audit/export?${new URLSearchParams([...exportQuery, ["format", "json"]])}`} data-testid="export-json">Export JSON</a>
          <AuditVerify />
        </div>
      </div>
      <form className="card flex flex-wrap items-end gap-2" method="get" data-testid="audit-filter">
        {([
          ["actor", "Actor", options.actors, filter.actor],
          ["action", "Action", options.actions, filter.action],
          ["cluster", "Cluster", options.clusters, filter.cluster],
        ] as const).map(([name, label, values, current]) => (
          <label key={name} className="text-xs">{label}
            <select name={name} aria-label={label} className="input" defaultValue={current ?? ""}>
              <option value="">any</option>
              {values.map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </label>
        ))}
        <label className="text-xs">From <input type="datetime-local" name="from" aria-label="From" className="input" defaultValue={raw.from ?? ""} /></label>
        <label className="text-xs">To <input type="datetime-local" name="to" aria-label="To" className="input" defaultValue={raw.to ?? ""} /></label>
        <button className="btn btn-primary" type="submit">Filter</button>
        <Link className="btn" href="/audit">Clear</Link>
        {!parsed.success ? <p role="alert" className="w-full text-red-700">Some filters were not understood and were ignored: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}</p> : null}
      </form>
      <table className="grid-table card p-0" data-testid="audit-table">
        <thead><tr><th>#</th><th>Time (UTC)</th><th>Actor</th><th>Action</th><th>Outcome</th><th>Cluster</th><th>Host</th><th>Details</th></tr></thead>
        <tbody>
          {page.events.length === 0 ? <tr><td colSpan={8} className="text-slate-500">No events match.</td></tr> : page.events.map((e) => (
            <tr key={e.id} data-event-id={e.id}>
              <td className="font-mono text-xs text-slate-500">{e.id}</td>
              <td className="whitespace-nowrap font-mono text-xs">{e.at.replace("T", " ").slice(0, 19)}</td>
              <td>{e.actorEmail}<span className="text-xs text-slate-500"> {e.actorRole}</span></td>
              <td className="font-mono text-xs">
                {e.action}
                {runIdOf(e.payload) ? <Link className="ml-1 text-sky-800 hover:underline" href={`/runs/${runIdOf(e.payload)}`}>run</Link> : null}
              </td>
              <td><Badge tone={OUTCOME_TONE[e.outcome as keyof typeof OUTCOME_TONE] ?? "neutral"}>{e.outcome}</Badge></td>
              <td>{e.clusterId && e.clusterName ? <Link className="text-sky-800 hover:underline" href={`/clusters/${e.clusterId}`}>{e.clusterName}</Link> : e.clusterName || "—"}</td>
              <td>{e.hostName || "—"}</td>
              <td className="max-w-md truncate font-mono text-xs text-slate-600" title={JSON.stringify(e.payload)}>{JSON.stringify(e.payload)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex gap-2">
        {filter.before !== undefined ? <Link className="btn" href={`/audit?${keep}`}>Newest</Link> : null}
        {nextHref ? <Link className="btn" href={nextHref} data-testid="audit-next">Older →</Link> : null}
      </div>
    </div>
  );
}
