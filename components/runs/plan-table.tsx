import { displayArgv } from "@/lib/ssh/quote";
import type { Plan } from "@/lib/runs/plan-schema";
import { Badge } from "../badge";

export type PrecheckResult = { index: number; ok: boolean; reason: string };

const KIND_TONE = { precheck: "info", verify: "info", action: "warn", "wait-until": "neutral", confirm: "bad" } as const;

/** The dry run: every step in order with its host and exact command, and the prechecks' current results. */
export function PlanTable({ plan, prechecks }: { plan: Plan; prechecks: PrecheckResult[] }) {
  const byIndex = new Map(prechecks.map((p) => [p.index, p]));
  return (
    <table className="grid-table" data-testid="plan-table">
      <thead><tr><th>#</th><th>Kind</th><th>Step</th><th>Host</th><th>Command</th><th>Now</th></tr></thead>
      <tbody>
        {plan.steps.map((step) => {
          const check = byIndex.get(step.index);
          return (
            <tr key={step.index} data-step={step.index} data-kind={step.kind}>
              <td className="text-slate-500">{step.index + 1}</td>
              <td><Badge tone={KIND_TONE[step.kind]}>{step.kind}{step.kind === "action" && !step.idempotent ? " ⚠" : ""}</Badge></td>
              <td>
                {step.item ? <span className="mr-1 text-xs text-slate-500">[{step.item.label}]</span> : null}
                {step.title}
                {step.kind === "confirm" ? <div className="text-xs text-slate-600">{step.destructive ? "a second DBA must approve: " : "a DBA confirms: "}{step.text}</div> : null}
              </td>
              <td className="font-mono text-xs">{"host" in step ? `${step.host.hostName} ${step.host.hostAddress}` : "—"}</td>
              <td className="font-mono text-xs break-all">
                {"argv" in step ? displayArgv(step.argv) : ""}
                {"stdin" in step && step.stdin?.credential ? <div className="text-slate-500">stdin: secret of a stored credential</div> : null}
                {"stdin" in step && step.stdin?.text ? <pre className="whitespace-pre-wrap text-slate-600">stdin: {step.stdin.text}</pre> : null}
                {step.kind === "wait-until" ? <div className="text-slate-500">every {step.pollMs / 1000}s, up to {Math.round(step.timeoutMs / 1000)}s</div> : null}
                {step.kind === "action" && step.setsRoles.length > 0 ? (
                  <div className="text-amber-900" data-testid="sets-roles">on success Keel records: {step.setsRoles.map((r) => `${r.node} → ${r.role}`).join(", ")}</div>
                ) : null}
              </td>
              <td data-testid={check ? "precheck-result" : undefined}>
                {check ? <Badge tone={check.ok ? "good" : "bad"}>{check.ok ? "passes" : "fails"}</Badge> : null}
                {check && !check.ok ? <div className="text-xs text-red-800">{check.reason}</div> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
