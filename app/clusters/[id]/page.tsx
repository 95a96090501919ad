import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiForm } from "@/components/api-form";
import { Badge } from "@/components/badge";
import { ClusterStatePanel } from "@/components/cluster-state-panel";
import { ImportPanel } from "@/components/import-panel";
import { DeleteButton } from "@/components/delete-button";
import { Forbidden } from "@/components/forbidden";
import { NodeForm } from "@/components/node-form";
import { pageAccess } from "@/lib/auth/page";
import { can } from "@/lib/auth/roles";
import { ENGINE_SPECS } from "@/lib/inventory/engines";
import { getCluster, listHosts } from "@/lib/inventory/queries";
import { RunsTable } from "@/components/runs/runs-table";
import { TiberoTipsHostPanel } from "@/components/tools/tibero-tips-host-panel";
import { proceduresFor } from "@/lib/runs/catalog";
import { listRuns } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="view clusters" />;
  const { id } = await params;
  const cluster = /^[0-9a-f-]{36}$/.test(id) ? await getCluster(id) : null;
  if (!cluster) notFound();
  const canEdit = can(user.role, "inventory:write");
  const spec = ENGINE_SPECS[cluster.engine];
  const hosts = canEdit ? await listHosts() : [];
  const canRun = can(user.role, "runs:operate");
  const procedures = proceduresFor(cluster.engine);
  const runs = can(user.role, "runs:read") ? await listRuns({ clusterId: cluster.id, limit: 10 }) : [];
  return (
    <div className="space-y-4">
      <div className="flex items-start gap-3">
        <div>
          <h1 className="page-title mb-0" data-testid="cluster-name">{cluster.name}</h1>
          <p className="text-slate-600">{spec.label} <span className="font-mono">{cluster.version}</span>{cluster.description ? ` — ${cluster.description}` : ""}</p>
        </div>
        {canEdit ? (
          <div className="ml-auto flex gap-2">
            <Link href={`/clusters/${cluster.id}/edit`} className="btn">Edit</Link>
            <DeleteButton url={`/api/v1/clusters/${cluster.id}`} what={`cluster ${cluster.name} with its ${cluster.nodes.length} nodes`} confirmText={cluster.name} redirectTo="/clusters" />
          </div>
        ) : null}
      </div>

      <ClusterStatePanel clusterId={cluster.id} canRefresh={canEdit} />

      {procedures.length > 0 ? (
        <section className="card" data-testid="procedures">
          <h2 className="mb-2 font-semibold">Procedures</h2>
          <ul className="grid gap-2 md:grid-cols-2">
            {procedures.map((p) => (
              <li key={p.id} className="rounded border border-slate-200 p-2">
                {canRun ? <Link href={`/clusters/${cluster.id}/procedures/${p.id}`} className="font-medium text-sky-800 underline">{p.title}</Link> : <span className="font-medium">{p.title}</span>}
                {p.mutating ? <Badge tone="warn">changes the cluster</Badge> : <Badge>read-only</Badge>}
                {p.approval === "second-dba" ? <Badge tone="bad">second DBA approves</Badge> : null}
                <p className="text-xs text-slate-600">{p.description}</p>
              </li>
            ))}
          </ul>
          {canRun ? null : <p className="mt-2 text-xs text-slate-500">Your role ({user.role}) may watch runs but not start them.</p>}
        </section>
      ) : null}

      {cluster.engine === "TIBERO" && canRun ? <TiberoTipsHostPanel clusterId={cluster.id} /> : null}

      {runs.length > 0 ? (
        <section className="card p-0">
          <h2 className="px-4 pt-3 font-semibold">Recent runs</h2>
          <RunsTable runs={runs} />
        </section>
      ) : null}

      <section className="card">
        <h2 className="mb-2 font-semibold">Engine settings</h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 font-mono text-xs">
          {Object.entries(cluster.settings).map(([k, v]) => (
            <div key={k} className="contents"><dt className="text-slate-500">{k}</dt><dd>{String(v)}</dd></div>
          ))}
        </dl>
      </section>

      <section className="card p-0">
        <h2 className="px-4 pt-3 font-semibold">Inventory nodes</h2>
        <table className="grid-table mt-2" data-testid="nodes-table">
          <thead><tr><th>Type</th><th>Name</th><th>Group</th><th>Role</th><th>Host</th>{canEdit ? <th /> : null}</tr></thead>
          <tbody>
            {cluster.nodes.length === 0 ? <tr><td colSpan={6} className="text-slate-500">No nodes yet.</td></tr> : cluster.nodes.map((n) => (
              <tr key={n.id}>
                <td>{n.type}</td>
                <td className="font-mono">{n.name}</td>
                <td>{n.group?.name ?? "—"}</td>
                <td>{n.role ? <Badge tone="info">{n.role}</Badge> : "—"}</td>
                <td><span className="font-mono">{n.host.name}</span> <span className="text-slate-500">{n.host.address}:{n.host.sshPort}</span></td>
                {canEdit ? (
                  <td className="space-x-1 text-right">
                    <Link href={`/clusters/${cluster.id}/nodes/${n.id}`} className="btn">Edit</Link>
                    <DeleteButton url={`/api/v1/nodes/${n.id}`} what={`node ${n.name}`} label="Remove" />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="grid gap-4 md:grid-cols-2">
        <div className="card">
          <h2 className="mb-2 font-semibold">Groups</h2>
          <ul className="mb-3 space-y-1" data-testid="groups-list">
            {cluster.groups.length === 0 ? <li className="text-slate-500">No groups.</li> : cluster.groups.map((g) => (
              <li key={g.id} className="flex items-center gap-2"><span className="font-mono">{g.name}</span>{canEdit ? <DeleteButton url={`/api/v1/groups/${g.id}`} what={`group ${g.name}`} label="Remove" /> : null}</li>
            ))}
          </ul>
          {canEdit ? (
            <ApiForm method="POST" url={`/api/v1/clusters/${cluster.id}/groups`} fields={[{ name: "name", label: "New group name", placeholder: "group1", required: true }]} submitLabel="Add group" testId="group-form" />
          ) : null}
        </div>
        {canEdit && cluster.engine !== "POSTGRESQL" && hosts.length > 0 ? (
          <div className="card md:col-span-2">
            <h2 className="mb-2 font-semibold">Import from the cluster</h2>
            <ImportPanel clusterId={cluster.id} hosts={hosts.filter((h) => h.hostKeyFingerprint).map((h) => ({ id: h.id, label: `${h.name} (${h.address})` }))} />
          </div>
        ) : null}
        {canEdit ? (
          <div className="card">
            <h2 className="mb-2 font-semibold">Add a node</h2>
            {hosts.length === 0 ? (
              <p className="text-slate-600">Add a <Link href="/hosts" className="text-sky-800 underline">host</Link> first: every node runs on one.</p>
            ) : (
              <NodeForm clusterId={cluster.id} engine={cluster.engine} groups={cluster.groups} hosts={hosts.map((h) => ({ id: h.id, label: `${h.name} (${h.username}@${h.address}:${h.sshPort})` }))} />
            )}
          </div>
        ) : null}
      </section>
    </div>
  );
}
