import { notFound } from "next/navigation";
import { ClusterForm } from "@/components/cluster-form";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { getCluster } from "@/lib/inventory/queries";

export default async function EditClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("inventory:write");
  if (!allowed) return <Forbidden role={user.role} what="edit clusters" />;
  const { id } = await params;
  const cluster = /^[0-9a-f-]{36}$/.test(id) ? await getCluster(id) : null;
  if (!cluster) notFound();
  return (
    <div className="max-w-xl">
      <h1 className="page-title">Edit {cluster.name}</h1>
      <div className="card"><ClusterForm initial={cluster} /></div>
    </div>
  );
}
