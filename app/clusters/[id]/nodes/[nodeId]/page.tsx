import { notFound } from "next/navigation";
import { Forbidden } from "@/components/forbidden";
import { NodeForm } from "@/components/node-form";
import { pageAccess } from "@/lib/auth/page";
import { getCluster, listHosts } from "@/lib/inventory/queries";

const UUID = /^[0-9a-f-]{36}$/;

export default async function EditNodePage({ params }: { params: Promise<{ id: string; nodeId: string }> }) {
  const { user, allowed } = await pageAccess("inventory:write");
  if (!allowed) return <Forbidden role={user.role} what="edit nodes" />;
  const { id, nodeId } = await params;
  const cluster = UUID.test(id) ? await getCluster(id) : null;
  const node = cluster?.nodes.find((n) => n.id === nodeId);
  if (!cluster || !node) notFound();
  const hosts = await listHosts();
  return (
    <div className="max-w-xl">
      <h1 className="page-title">Edit node {node.name} of {cluster.name}</h1>
      <div className="card">
        <NodeForm
          clusterId={cluster.id}
          engine={cluster.engine}
          groups={cluster.groups}
          hosts={hosts.map((h) => ({ id: h.id, label: `${h.name} (${h.username}@${h.address}:${h.sshPort})` }))}
          initial={{ id: node.id, name: node.name, type: node.type, role: node.role, groupId: node.group?.id ?? null, hostId: node.host.id }}
        />
      </div>
    </div>
  );
}
