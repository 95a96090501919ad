import Link from "next/link";
import { ApiForm } from "@/components/api-form";
import { Badge } from "@/components/badge";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";
import { listUsers } from "@/lib/inventory/queries";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const { user, allowed } = await pageAccess("users:manage");
  if (!allowed) return <Forbidden role={user.role} what="manage users" />;
  const users = await listUsers();
  const now = new Date().toISOString();
  return (
    <div className="space-y-4">
      <h1 className="page-title">Users</h1>
      <table className="grid-table card p-0" data-testid="users-table">
        <thead><tr><th>E-mail</th><th>Name</th><th>Role</th><th>Status</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td><Link className="text-sky-800 hover:underline" href={`/users/${u.id}`}>{u.email}</Link></td>
              <td>{u.name}</td>
              <td><Badge tone="info">{u.role}</Badge></td>
              <td>{u.disabled ? <Badge tone="bad">disabled</Badge> : u.lockedUntil && u.lockedUntil > now ? <Badge tone="warn">locked until {u.lockedUntil.slice(11, 16)}</Badge> : <Badge tone="good">active</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card max-w-xl">
        <h2 className="mb-2 font-semibold">Add a user</h2>
        <ApiForm
          method="POST"
          url="/api/v1/users"
          submitLabel="Create user"
          testId="user-form"
          fields={[
            { name: "email", label: "E-mail", required: true },
            { name: "name", label: "Name", required: true },
            { name: "role", label: "Role", type: "select", defaultValue: "LEAD", options: ROLES.map((r) => ({ value: r, label: `${r} — ${ROLE_DESCRIPTIONS[r]}` })) },
            { name: "password", label: "Initial password", type: "password", required: true, hint: "at least 10 characters" },
          ]}
        />
      </section>
    </div>
  );
}
