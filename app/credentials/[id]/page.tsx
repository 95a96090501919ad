import { notFound } from "next/navigation";
import { ApiForm } from "@/components/api-form";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { listCredentials } from "@/lib/inventory/queries";

export default async function EditCredentialPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("credentials:write");
  if (!allowed) return <Forbidden role={user.role} what="change credentials" />;
  const { id } = await params;
  const credential = (await listCredentials()).find((c) => c.id === id);
  if (!credential) notFound();
  return (
    <div className="max-w-xl">
      <h1 className="page-title">Credential {credential.name}</h1>
      <p className="mb-3 text-slate-600">Leave the secret empty to keep the current one. The current secret is never shown.</p>
      <div className="card">
        <ApiForm
          method="PUT"
          url={`/api/v1/credentials/${credential.id}`}
          redirectTo="/credentials"
          submitLabel="Save credential"
          fields={[
            { name: "name", label: "Name", required: true, defaultValue: credential.name },
            credential.kind === "SSH_KEY"
              ? { name: "secret", label: "New private key", type: "textarea" }
              : { name: "secret", label: "New password", type: "password" },
            ...(credential.kind === "SSH_KEY" ? [{ name: "passphrase", label: "Passphrase of the new key", type: "password" as const }] : []),
          ]}
        />
      </div>
    </div>
  );
}
