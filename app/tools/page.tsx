import Link from "next/link";
import { Forbidden } from "@/components/forbidden";
import { pageAccess } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

const TOOLS = [
  { href: "/tools/tibero-tips", title: "Tibero tip validator", text: "Every instance's $TB_SID.tip of a TAC checked together: CLUSTER_DATABASE, THREAD and UNDO_TABLESPACE per instance, cluster ports, CM_PORT, memory sizes." },
  { href: "/tools/prosync-config", title: "ProSync config editor", text: "Generate and validate prs_install_agent.cfg, prs_agent_<id>.cfg, prs_install.cfg and the prs_<n>.sh CM script, or validate existing files." },
];

export default async function ToolsPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="use the config tools" />;
  return (
    <div>
      <h1 className="page-title">Tools</h1>
      <p className="mb-3 text-slate-600">Validators and editors for configuration files. They read what you paste and change nothing.</p>
      <ul className="grid gap-2 md:grid-cols-2">
        {TOOLS.map((t) => (
          <li key={t.href} className="card">
            <Link href={t.href} className="font-medium text-sky-800 underline">{t.title}</Link>
            <p className="text-xs text-slate-600">{t.text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
