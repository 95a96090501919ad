import { Forbidden } from "@/components/forbidden";
import { TiberoTipsEditor } from "@/components/tools/tibero-tips-editor";
import { pageAccess } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function TiberoTipsPage() {
  const { user, allowed } = await pageAccess("inventory:read");
  if (!allowed) return <Forbidden role={user.role} what="use the tip validator" />;
  return (
    <div className="space-y-3">
      <div>
        <h1 className="page-title mb-0">Tibero tip validator</h1>
        <p className="text-slate-600">
          Paste every instance&apos;s <span className="font-mono">$TB_SID.tip</span> of one Tibero Active Cluster; they are checked as one set. To read them from the hosts
          instead, use &ldquo;Check tip files on the hosts&rdquo; on the cluster&apos;s page.
        </p>
      </div>
      <section className="card"><TiberoTipsEditor /></section>
    </div>
  );
}
