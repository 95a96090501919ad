import type { ReactNode } from "react";

const TONES = {
  neutral: "bg-slate-100 text-slate-700 border-slate-300",
  good: "bg-emerald-50 text-emerald-800 border-emerald-300",
  warn: "bg-amber-50 text-amber-900 border-amber-300",
  bad: "bg-red-50 text-red-800 border-red-300",
  info: "bg-sky-50 text-sky-800 border-sky-300",
} as const;

export function Badge({ tone = "neutral", children }: { tone?: keyof typeof TONES; children: ReactNode }) {
  return <span className={`inline-block rounded border px-1.5 py-0.5 text-xs font-medium ${TONES[tone]}`}>{children}</span>;
}
