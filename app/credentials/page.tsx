import Link from "next/link";
import { Badge } from "@/components/badge";
import { CredentialForm } from "@/components/credential-form";
import { DeleteButton } from "@/components/delete-button";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { listCredentials } from "@/lib/inventory/queries";

export const dynamic = "force-dynamic";

export default async function CredentialsPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="view credentials" />;
  const canEdit = can(user.role, "credentials:write");
  const credentials = await listCredentials();
  return (
    <div className="space-y-4">
      <h1 className="page-title">Credentials</h1>
      <p className="text-slate-600">Secrets are write-only: they are encrypted at rest and never shown again, only replaced.</p>
      <table className="grid-table card p-0" data-testid="credentials-table">
        <thead><tr><th>Name</th><th>Kind</th><th>Public key</th><th>Hosts</th><th>Updated</th>{canEdit ? <th /> : null}</tr></thead>
        <tbody>
          {credentials.length === 0 ? <tr><td colSpan={6} className="text-slate-500">No credentials yet.</td></tr> : credentials.map((c) => (
            <tr key={c.id}>
              <td className="font-medium">{canEdit ? <Link className="text-sky-800 hover:underline" href={`/credentials/${c.id}`}>{c.name}</Link> : c.name}</td>
              <td><Badge>{c.kind === "SSH_KEY" ? "SSH key" : "password"}</Badge></td>
              <td className="font-mono text-xs">{c.publicHint || "—"}</td>
              <td>{c.hostCount}</td>
              <td className="text-slate-500">{c.updatedAt.slice(0, 16).replace("T", " ")}</td>
              {canEdit ? <td className="text-right"><DeleteButton url={`/api/v1/credentials/${c.id}`} what={`credential ${c.name}`} /></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit ? (
        <section className="card max-w-xl">
          <h2 className="mb-2 font-semibold">Add a credential</h2>
          <CredentialForm />
        </section>
      ) : null}
    </div>
  );
}
