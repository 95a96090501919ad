import { Forbidden } from "@/components/forbidden";
import { RunsTable } from "@/components/runs/runs-table";
import { pageAccess } from "@/lib/auth/page";
import { listRuns } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const { user, allowed } = await pageAccess("runs:read");
  if (!allowed) return <Forbidden role={user.role} what="view runs" />;
  const runs = await listRuns({ limit: 200 });
  return (
    <div className="space-y-4">
      <h1 className="page-title">Runs</h1>
      <section className="card p-0"><RunsTable runs={runs} showCluster /></section>
    </div>
  );
}
