import { notFound } from "next/navigation";
import { ApiForm } from "@/components/api-form";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";
import { listUsers } from "@/lib/inventory/queries";

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("users:manage");
  if (!allowed) return <Forbidden role={user.role} what="manage users" />;
  const { id } = await params;
  const target = (await listUsers()).find((u) => u.id === id);
  if (!target) notFound();
  return (
    <div className="grid max-w-4xl gap-4 md:grid-cols-2">
      <section className="card">
        <h1 className="page-title">{target.email}</h1>
        <ApiForm
          method="PUT"
          url={`/api/v1/users/${target.id}`}
          submitLabel="Save user"
          redirectTo="/users"
          fields={[
            { name: "name", label: "Name", required: true, defaultValue: target.name },
            { name: "role", label: "Role", type: "select", defaultValue: target.role, options: ROLES.map((r) => ({ value: r, label: `${r} — ${ROLE_DESCRIPTIONS[r]}` })) },
            { name: "disabled", label: "Disabled (cannot sign in)", type: "checkbox", defaultValue: target.disabled },
          ]}
        />
      </section>
      <section className="card">
        <h2 className="mb-2 font-semibold">Reset password</h2>
        <p className="mb-2 text-slate-600">Signs the user out everywhere and clears a lockout.</p>
        <ApiForm method="POST" url={`/api/v1/users/${target.id}/password`} submitLabel="Set password" redirectTo="/users" fields={[{ name: "password", label: "New password", type: "password", required: true }]} />
      </section>
    </div>
  );
}
