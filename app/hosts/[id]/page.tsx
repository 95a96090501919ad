import { notFound } from "next/navigation";
import { ApiForm } from "@/components/api-form";
import { Forbidden } from "@/components/forbidden";
import { hostFields } from "@/components/host-fields";
import { HostKeyPanel } from "@/components/host-key-panel";
import { pageAccess } from "@/lib/auth/page";
import { listCredentials, listHosts } from "@/lib/inventory/queries";

export default async function EditHostPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("inventory:write");
  if (!allowed) return <Forbidden role={user.role} what="edit hosts" />;
  const { id } = await params;
  const [hosts, credentials] = await Promise.all([listHosts(), listCredentials()]);
  const host = hosts.find((h) => h.id === id);
  if (!host) notFound();
  return (
    <div className="grid max-w-5xl gap-4 md:grid-cols-2">
      <HostKeyPanel
        hostId={host.id}
        pinned={host.hostKeyFingerprint}
        trustedBy={host.hostKeyTrustedBy}
        trustedAt={host.hostKeyTrustedAt}
        mismatch={host.hostKeyMismatchFingerprint}
        mismatchAt={host.hostKeyMismatchAt}
      />
      <div>
      <h1 className="page-title">Edit host {host.name}</h1>
      <p className="mb-3 text-slate-600">Changing the address or port clears the pinned host key: it must be trusted again.</p>
      <div className="card">
        <ApiForm method="PUT" url={`/api/v1/hosts/${host.id}`} fields={hostFields(credentials, { ...host, credentialId: host.credential?.id ?? null })} submitLabel="Save host" redirectTo="/hosts" />
      </div>
      </div>
    </div>
  );
}
