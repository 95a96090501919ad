import { ClusterForm } from "@/components/cluster-form";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";

export default async function NewClusterPage() {
  const { user, allowed } = await pageAccess("inventory:write");
  if (!allowed) return <Forbidden role={user.role} what="create clusters" />;
  return (
    <div className="max-w-xl">
      <h1 className="page-title">New cluster</h1>
      <div className="card"><ClusterForm /></div>
    </div>
  );
}
