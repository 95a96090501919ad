import { Forbidden } from "@/components/forbidden";
import { ProsyncConfigEditor } from "@/components/tools/prosync-config-editor";
import { pageAccess } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function ProsyncConfigPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="use the ProSync config editor" />;
  return (
    <div className="space-y-3">
      <div>
        <h1 className="page-title mb-0">ProSync config editor</h1>
        <p className="text-slate-600">The files CM failover depends on (seed 003): generated from one form and validated as a set, or pasted as they are and validated.</p>
      </div>
      <section className="card"><ProsyncConfigEditor /></section>
    </div>
  );
}
