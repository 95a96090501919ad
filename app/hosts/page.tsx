import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { Badge } from "@/components/badge";
import { DeleteButton } from "@/components/delete-button";
import { Forbidden } from "@/components/forbidden";
import { hostFields } from "@/components/host-fields";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { listCredentials, listHosts } from "@/lib/inventory/queries";

export const dynamic = "force-dynamic";

export default async function HostsPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="view hosts" />;
  const canEdit = can(user.role, "inventory:write");
  const [hosts, credentials] = await Promise.all([listHosts(), canEdit ? listCredentials() : Promise.resolve([])]);
  return (
    <div className="space-y-4">
      <h1 className="page-title">Hosts</h1>
      <table className="grid-table card p-0" data-testid="hosts-table">
        <thead><tr><th>Name</th><th>Address</th><th>User</th><th>Credential</th><th>Host key</th><th>Nodes</th>{canEdit ? <th /> : null}</tr></thead>
        <tbody>
          {hosts.length === 0 ? <tr><td colSpan={7} className="text-slate-500">No hosts yet.</td></tr> : hosts.map((h) => (
            <tr key={h.id}>
              <td className="font-medium">{canEdit ? <Link className="text-sky-800 hover:underline" href={`/hosts/${h.id}`}>{h.name}</Link> : h.name}</td>
              <td className="font-mono">{h.address}:{h.sshPort}</td>
              <td className="font-mono">{h.username}</td>
              <td>{h.credential ? h.credential.name : <Badge tone="warn">none</Badge>}</td>
              <td>
                {h.hostKeyMismatchFingerprint ? <Badge tone="bad">KEY MISMATCH — refused</Badge> : null}{" "}
                {h.hostKeyFingerprint ? <span className="font-mono text-xs">{h.hostKeyFingerprint}</span> : <Badge tone="warn">not pinned</Badge>}
              </td>
              <td>{h.nodeCount}</td>
              {canEdit ? <td className="text-right"><DeleteButton url={`/api/v1/hosts/${h.id}`} what={`host ${h.name}`} /></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit ? (
        <section className="card max-w-xl">
          <h2 className="mb-2 font-semibold">Add a host</h2>
          <ApiForm method="POST" url="/api/v1/hosts" fields={hostFields(credentials)} submitLabel="Add host" testId="host-form" />
        </section>
      ) : null}
    </div>
  );
}
