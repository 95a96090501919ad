import type { Health } from "@/lib/status/types";

const COLOR: Record<Health, string> = { healthy: "bg-emerald-500", degraded: "bg-amber-400", down: "bg-red-600", unknown: "bg-slate-400" };

/** 24 h of health, oldest left, one cell per 15 minutes; gaps are hours with no sample. */
export function HealthHistory({ series }: { series: (Health | null)[] }) {
  return (
    <div className="flex h-3 w-48 gap-px" aria-label="health over the last 24 hours" data-testid="health-history">
      {series.map((h, i) => (
        <span key={i} className={`flex-1 ${h ? COLOR[h] : "bg-slate-100"}`} title={h ?? "no sample"} />
      ))}
    </div>
  );
}
