import Link from "next/link";
import { notFound } from "next/navigation";

import { Forbidden } from "@/components/forbidden";
import { RunWizard } from "@/components/runs/wizard";
import { pageAccess } from "@/lib/auth/page";
import { findProcedure } from "@/lib/runs/catalog";
import { inventoryParams, loadRunContext } from "@/lib/runs/context";
import { describeParameters } from "@/lib/runs/parameters";
import { listCredentials } from "@/lib/inventory/queries";

export const dynamic = "force-dynamic";

export default async function ProcedurePage({ params }: { params: Promise<{ id: string; procedureId: string }> }) {
  const { user, allowed } = await pageAccess("runs:operate");
  if (!allowed) return <Forbidden role={user.role} what="run procedures" />;
  const { id, procedureId } = await params;
  const context = /^[0-9a-f-]{36}$/.test(id) ? await loadRunContext(id) : null;
  const procedure = findProcedure(decodeURIComponent(procedureId));
  if (!context || !procedure || procedure.engine !== context.context.engine) notFound();
  const facts = inventoryParams(procedure, context);
  const fields = describeParameters(procedure.parameters);
  // Names and kinds only: a secret never leaves the server.
  const credentials = fields.some((f) => f.input === "credential") ? (await listCredentials()).map((c) => ({ id: c.id, name: c.name, kind: c.kind })) : [];
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm text-slate-500"><Link href={`/clusters/${id}`} className="underline">{context.clusterName}</Link> · procedure</p>
        <h1 className="page-title mb-0" data-testid="procedure-title">{procedure.title}</h1>
        <p className="text-slate-600">{procedure.description}</p>
      </div>
      <RunWizard
        clusterId={id}
        procedureId={procedure.id}
        fields={fields.filter((f) => !(f.name in facts)).map((f) => ({ ...f, defaultValue: typeof f.defaultValue === "function" ? undefined : f.defaultValue }))}
        facts={fields.filter((f) => f.name in facts).map((f) => ({ name: f.name, label: f.label, value: JSON.stringify(facts[f.name]) }))}
        nodeNames={context.context.nodes.map((n) => n.name)}
        credentials={credentials}
      />
    </div>
  );
}
