import Link from "next/link";
import { notFound } from "next/navigation";

import { ClusterStatePanel } from "@/components/cluster-state-panel";
import { Forbidden } from "@/components/forbidden";
import { RunView } from "@/components/runs/run-view";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { getRunView } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("runs:read");
  if (!allowed) return <Forbidden role={user.role} what="view runs" />;
  const { id } = await params;
  const run = /^[0-9a-f-]{36}$/.test(id) ? await getRunView(id) : null;
  if (!run) notFound();
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/runs" className="underline">Runs</Link> · {run.clusterId ? <Link href={`/clusters/${run.clusterId}`} className="underline">{run.clusterName}</Link> : run.clusterName}
        </p>
        <h1 className="page-title mb-0" data-testid="run-title">{run.title}</h1>
      </div>
      <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
        <RunView initial={run} userId={user.id} canOperate={can(user.role, "runs:operate")} />
        {run.clusterId && can(user.role, "inventory:read") ? <ClusterStatePanel clusterId={run.clusterId} canRefresh={false} /> : null}
      </div>
    </div>
  );
}
