import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { ENGINE_SPECS } from "@/lib/inventory/engines";
import { listClusters } from "@/lib/inventory/queries";

export const dynamic = "force-dynamic";

export default async function ClustersPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="view clusters" />;
  const clusters = await listClusters();
  return (
    <div>
      <div className="mb-3 flex items-center">
        <h1 className="page-title mb-0">Clusters</h1>
        {can(user.role, "inventory:write") ? <Link href="/clusters/new" className="btn btn-primary ml-auto">New cluster</Link> : null}
      </div>
      <table className="grid-table card p-0" data-testid="clusters-table">
        <thead>
          <tr><th>Name</th><th>Engine</th><th>Version</th><th>Nodes</th><th>Groups</th><th>Description</th></tr>
        </thead>
        <tbody>
          {clusters.length === 0 ? (
            <tr><td colSpan={6} className="text-slate-500">No clusters yet.</td></tr>
          ) : clusters.map((c) => (
            <tr key={c.id}>
              <td><Link className="font-medium text-sky-800 hover:underline" href={`/clusters/${c.id}`}>{c.name}</Link></td>
              <td>{ENGINE_SPECS[c.engine].label}</td>
              <td className="font-mono">{c.version}</td>
              <td>{c.nodeCount}</td>
              <td>{c.groupCount}</td>
              <td className="text-slate-600">{c.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
