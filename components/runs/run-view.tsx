"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import type { RunOutputLine, RunView as Run } from "@/lib/runs/queries";
import { displayArgv } from "@/lib/ssh/quote";
import { ApiCallError, callApi } from "../api-client";
import { Badge } from "../badge";
import { RunStateBadge } from "./run-state-badge";

type Step = Run["steps"][number];
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "ABORTED"]);

/** Follows the run over SSE: the run's record on every change, output lines as they arrive. */
function useRunStream(initial: Run): { run: Run; output: RunOutputLine[]; connected: boolean } {
  const [run, setRun] = useState(initial);
  const [output, setOutput] = useState<RunOutputLine[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/v1/runs/${initial.id}/events`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener("run", (e) => setRun(JSON.parse((e as MessageEvent<string>).data) as Run));
    source.addEventListener("output", (e) => {
      const lines = JSON.parse((e as MessageEvent<string>).data) as RunOutputLine[];
      setOutput((prev) => {
        const seen = new Set(prev.map((l) => l.id));
        return [...prev, ...lines.filter((l) => !seen.has(l.id))];
      });
    });
    return () => source.close();
  }, [initial.id]);
  return { run, output, connected };
}

function seconds(ms: number | null): string {
  return ms === null ? "" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function useAction(url: string) {
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => callApi("POST", url, body),
    onSuccess: () => setError(null),
    onError: (e) => setError(e instanceof ApiCallError ? e.error.message + Object.values(e.error.fieldErrors ?? {}).flat().map((m) => ` ${m}`).join("") : String(e)),
  });
  return { mutation, error };
}

function ConfirmControls({ run, step, userId }: { run: Run; step: Step; userId: string }) {
  const { mutation, error } = useAction(`/api/v1/runs/${run.id}/confirm`);
  const planStep = run.plan.steps[step.index];
  const destructive = planStep?.kind === "confirm" && planStep.destructive;
  const own = destructive && run.startedById === userId;
  return (
    <div className="space-y-1" data-testid="confirm-controls">
      <p className="text-sm">{planStep?.kind === "confirm" ? planStep.text : ""}</p>
      {own ? <p className="text-sm text-amber-900" data-testid="self-approval-note">You started this run: a second DBA must approve this step.</p> : null}
      <button type="button" className="btn btn-primary" disabled={mutation.isPending} onClick={() => mutation.mutate({ stepIndex: step.index })} data-testid="approve-step">
        {destructive ? "Approve" : "Confirm"} step {step.index + 1}
      </button>
      {error ? <p className="text-sm text-red-700" role="alert" data-testid="step-error">{error}</p> : null}
    </div>
  );
}

function DecisionControls({ run, step }: { run: Run; step: Step }) {
  const { mutation, error } = useAction(`/api/v1/runs/${run.id}/decide`);
  const [note, setNote] = useState("");
  const [chosen, setChosen] = useState<"retry" | "mark-done" | "abort" | null>(null);
  return (
    <div className="space-y-2" data-testid="decision-controls">
      <p className="text-sm text-red-800">{step.message}</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn" onClick={() => setChosen("retry")}>Retry the action…</button>
        <button type="button" className="btn" onClick={() => setChosen("mark-done")}>Mark it done…</button>
        <button type="button" className="btn btn-danger" onClick={() => setChosen("abort")}>Abort the run…</button>
      </div>
      {chosen ? (
        <div className="space-y-1">
          <label className="block text-sm" htmlFor="decision-note">{chosen === "mark-done" ? "What did you check on the cluster that shows it took effect?" : "Note (optional)"}</label>
          <textarea id="decision-note" className="input" value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="btn btn-primary" disabled={mutation.isPending} onClick={() => mutation.mutate({ decision: chosen, note })} data-testid="decide">
            Confirm: {chosen === "retry" ? "run the action again" : chosen === "mark-done" ? "continue after it" : "abort here"}
          </button>
        </div>
      ) : null}
      {error ? <p className="text-sm text-red-700" role="alert" data-testid="step-error">{error}</p> : null}
    </div>
  );
}

function CancelControl({ run }: { run: Run }) {
  const { mutation, error } = useAction(`/api/v1/runs/${run.id}/cancel`);
  const [asked, setAsked] = useState(false);
  if (TERMINAL.has(run.state)) return null;
  if (run.cancelRequestedBy) return <Badge tone="warn">cancelling — requested by {run.cancelRequestedBy}</Badge>;
  return (
    <span className="flex items-center gap-2">
      {asked ? (
        <button type="button" className="btn btn-danger" disabled={mutation.isPending} onClick={() => mutation.mutate({})} data-testid="cancel-confirm">
          Cancel now: kill the running command
        </button>
      ) : (
        <button type="button" className="btn" onClick={() => setAsked(true)} data-testid="cancel-run">Cancel run…</button>
      )}
      {error ? <span className="text-sm text-red-700" role="alert">{error}</span> : null}
    </span>
  );
}

function StepRow({ run, step, lines, userId, canOperate }: { run: Run; step: Step; lines: RunOutputLine[]; userId: string; canOperate: boolean }) {
  const current = step.index === run.nextStep && !TERMINAL.has(run.state);
  const failed = ["FAILED", "INTERRUPTED", "CANCELLED"].includes(step.state);
  const help = run.plan.steps[step.index]?.help;
  const text = lines.map((l) => (l.stream === "progress" ? `» ${l.text}` : l.stream === "event" ? `# ${l.text}` : l.text)).join("");
  return (
    <>
      <tr data-step={step.index} data-state={step.state} className={current ? "bg-sky-50" : failed ? "bg-red-50" : undefined}>
        <td className="text-slate-500">{step.index + 1}</td>
        <td>{step.kind}</td>
        <td>{step.title}{step.decidedBy ? <div className="text-xs text-slate-600" data-testid="decided-by">{step.decision} by {step.decidedBy}</div> : null}</td>
        <td className="font-mono text-xs">{step.hostName}</td>
        <td className="font-mono text-xs break-all">{step.argv.length > 0 ? displayArgv(step.argv) : ""}</td>
        <td><RunStateBadge state={step.state} />{step.attempts > 1 ? <span className="text-xs text-slate-500"> ×{step.attempts}</span> : null}</td>
        <td className="font-mono text-xs">{step.exitCode ?? ""}</td>
        <td className="font-mono text-xs">{seconds(step.durationMs)}</td>
      </tr>
      {step.message || text || (current && canOperate) ? (
        <tr data-step-detail={step.index}>
          <td />
          <td colSpan={7} className="space-y-2">
            {step.message && step.state !== "INTERRUPTED" ? <p className={`text-sm ${failed ? "text-red-800" : "text-slate-700"}`} data-testid={`step-message-${step.index}`}>{step.message}</p> : null}
            {failed && help ? <p className="text-sm text-amber-900" data-testid={`step-help-${step.index}`}>If this fails: {help}</p> : null}
            {text ? (
              <details open={current || failed}>
                <summary className="cursor-pointer text-xs text-slate-500">output ({lines.length} chunk{lines.length === 1 ? "" : "s"})</summary>
                <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-2 text-xs leading-tight text-slate-100" data-testid={`step-output-${step.index}`}>{text}</pre>
              </details>
            ) : null}
            {canOperate && run.state === "WAITING" && current ? <ConfirmControls run={run} step={step} userId={userId} /> : null}
            {canOperate && run.state === "INTERRUPTED" && current ? <DecisionControls run={run} step={step} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function RunView({ initial, userId, canOperate }: { initial: Run; userId: string; canOperate: boolean }) {
  const { run, output, connected } = useRunStream(initial);
  const byStep = useMemo(() => {
    const map = new Map<number, RunOutputLine[]>();
    for (const line of output) map.set(line.stepIndex, [...(map.get(line.stepIndex) ?? []), line]);
    return map;
  }, [output]);
  const done = run.steps.filter((s) => s.state === "SUCCEEDED" || s.state === "MARKED_DONE").length;
  return (
    <div className="space-y-3" data-testid="run-view" data-run-state={run.state}>
      <section className="card space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <RunStateBadge state={run.state} />
          <span className="text-sm text-slate-600" data-testid="run-progress">{done} / {run.steps.length} steps done</span>
          <progress className="h-2 w-40" max={run.steps.length} value={done} />
          <span className={`text-xs ${connected ? "text-emerald-700" : "text-slate-400"}`}>{connected ? "live" : "reconnecting…"}</span>
          <span className="ml-auto">{canOperate ? <CancelControl run={run} /> : null}</span>
        </div>
        {run.stateReason ? <p className={`text-sm ${["FAILED", "INTERRUPTED", "ABORTED"].includes(run.state) ? "text-red-800" : "text-slate-700"}`} data-testid="state-reason">{run.stateReason}</p> : null}
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 text-xs">
          <dt className="text-slate-500">started</dt><dd>{run.createdAt.replace("T", " ").slice(0, 19)} by {run.startedByEmail}</dd>
          {run.finishedAt ? <><dt className="text-slate-500">finished</dt><dd>{run.finishedAt.replace("T", " ").slice(0, 19)}</dd></> : null}
          <dt className="text-slate-500">parameters</dt><dd className="font-mono">{JSON.stringify(run.plan.params)}</dd>
          <dt className="text-slate-500">plan digest</dt><dd className="font-mono">{run.planDigest}</dd>
        </dl>
      </section>
      <section className="card overflow-x-auto p-0">
        <table className="grid-table" data-testid="run-steps">
          <thead><tr><th>#</th><th>Kind</th><th>Step</th><th>Host</th><th>Command</th><th>State</th><th>Exit</th><th>Time</th></tr></thead>
          <tbody>
            {run.steps.map((step) => <StepRow key={step.index} run={run} step={step} lines={byStep.get(step.index) ?? []} userId={userId} canOperate={canOperate} />)}
          </tbody>
        </table>
      </section>
    </div>
  );
}
