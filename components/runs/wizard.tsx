"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { z } from "zod";

import type { ParameterField } from "@/lib/runs/parameters";
import { planSchema } from "@/lib/runs/plan-schema";
import { ApiCallError, type ApiError, callApi } from "../api-client";
import { PlanTable } from "./plan-table";

const previewSchema = z.object({
  plan: planSchema,
  digest: z.string(),
  prechecks: z.array(z.object({ index: z.number(), ok: z.boolean(), reason: z.string() })),
});
type Preview = z.infer<typeof previewSchema>;

function readValue(form: HTMLFormElement, field: ParameterField): unknown {
  const el = form.elements.namedItem(field.name) as HTMLInputElement | HTMLSelectElement | null;
  if (!el) return undefined;
  if (field.type === "boolean") return (el as HTMLInputElement).checked;
  const raw = el.value.trim();
  if (raw === "") return undefined;
  if (field.type === "number") return Number(raw);
  if (field.type === "list") return raw.split(/[\s,]+/).filter(Boolean).map((v) => (field.itemType === "number" ? Number(v) : v));
  return raw;
}

function initial(field: ParameterField): string {
  const value = field.defaultValue;
  if (value === undefined || value === null) return "";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** Parameters → the full plan with live prechecks → start, only for exactly the plan reviewed. */
export function RunWizard(props: {
  clusterId: string;
  procedureId: string;
  fields: ParameterField[];
  facts: { name: string; label: string; value: string }[];
  nodeNames: string[];
  credentials: { id: string; name: string; kind: string }[];
}) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [reviewed, setReviewed] = useState(false);

  const toError = (e: unknown): ApiError => (e instanceof ApiCallError ? e.error : { code: "INTERNAL", message: String(e) });
  const review = useMutation({
    mutationFn: async (body: Record<string, unknown>) => previewSchema.parse(await callApi("POST", "/api/v1/runs/preview", { clusterId: props.clusterId, procedureId: props.procedureId, params: body })),
    onSuccess: (data) => {
      setError(null);
      setPreview(data);
      setReviewed(false);
    },
    onError: (e) => {
      setPreview(null);
      setError(toError(e));
    },
  });
  const start = useMutation({
    // The parameters as the preview resolved them (defaults such as "now" fixed): the start compiles
    // exactly the plan that was reviewed, or is refused if the cluster changed meanwhile.
    mutationFn: async () =>
      z.object({ runId: z.string() }).parse(await callApi("POST", "/api/v1/runs", { clusterId: props.clusterId, procedureId: props.procedureId, params: preview?.plan.params, planDigest: preview?.digest })),
    onSuccess: ({ runId }) => router.push(`/runs/${runId}`),
    onError: (e) => setError(toError(e)),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = Object.fromEntries(props.fields.map((f) => [f.name, readValue(form, f)]).filter(([, v]) => v !== undefined));
    review.mutate(body);
  }

  const fieldErrors = (name: string) => error?.fieldErrors?.[`params.${name}`] ?? [];
  const formErrors = error?.fieldErrors?._form ?? [];
  const failing = preview?.prechecks.filter((p) => !p.ok) ?? [];
  const approval = preview?.plan.steps.find((s) => s.kind === "confirm" && s.destructive);

  return (
    <div className="space-y-4">
      <form onSubmit={submit} onChange={() => setPreview(null)} className="card space-y-3" noValidate data-testid="wizard-form">
        <h2 className="font-semibold">1. Parameters</h2>
        <datalist id="cluster-nodes">{props.nodeNames.map((n) => <option key={n} value={n} />)}</datalist>
        {props.fields.map((f) => {
          const errs = fieldErrors(f.name);
          const id = `param-${f.name}`;
          const invalid = errs.length > 0 ? true : undefined;
          return (
            <div key={f.name}>
              {f.type === "boolean" ? (
                <label className="flex items-center gap-2" htmlFor={id}>
                  <input id={id} name={f.name} type="checkbox" defaultChecked={f.defaultValue === true} aria-invalid={invalid} />
                  {f.label}
                </label>
              ) : (
                <>
                  <label className="block text-sm font-medium" htmlFor={id}>{f.label}{f.required ? " *" : ""}</label>
                  {f.input === "credential" ? (
                    <select id={id} name={f.name} className="input" defaultValue="" aria-invalid={invalid}>
                      <option value="">— choose a stored credential —</option>
                      {props.credentials.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.kind === "PASSWORD" ? "password" : "SSH key"})</option>)}
                    </select>
                  ) : f.type === "enum" ? (
                    <select id={id} name={f.name} className="input" defaultValue={initial(f)} aria-invalid={invalid}>
                      {f.required ? null : <option value="">—</option>}
                      {(f.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input id={id} name={f.name} className="input font-mono" defaultValue={initial(f)} list={f.input === "node" || (f.type === "list" && /node/i.test(f.name)) ? "cluster-nodes" : undefined} inputMode={f.type === "number" ? "numeric" : undefined} aria-invalid={invalid} />
                  )}
                </>
              )}
              {f.help ? <p className="text-xs text-slate-500">{f.help}</p> : null}
              {errs.map((m) => <p key={m} className="text-sm text-red-700" role="alert" data-testid={`error-${f.name}`}>{m}</p>)}
            </div>
          );
        })}
        {props.facts.length > 0 ? (
          <dl className="text-xs text-slate-600">
            {props.facts.map((f) => <div key={f.name}><dt className="inline font-medium">{f.label} (from the inventory): </dt><dd className="inline font-mono">{f.value}</dd></div>)}
          </dl>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={review.isPending}>{review.isPending ? "Running prechecks…" : "Review plan"}</button>
        {error && !preview ? <p className="text-sm text-red-700" role="alert" data-testid="wizard-error">{error.message}</p> : null}
        {formErrors.map((m) => <p key={m} className="text-sm text-red-700" role="alert">{m}</p>)}
      </form>

      {preview ? (
        <section className="card space-y-3 p-0" data-testid="plan">
          <div className="px-4 pt-3">
            <h2 className="font-semibold">2. Plan — {preview.plan.steps.length} steps, {preview.plan.mutating ? "changes the cluster" : "read-only"}</h2>
            <p className="text-xs text-slate-500">Exactly these commands run, in this order. Plan digest <span className="font-mono">{preview.digest.slice(0, 16)}</span>.</p>
            {failing.length > 0 ? <p className="text-sm text-red-800" data-testid="precheck-warning">{failing.length} precheck(s) fail now; the run will stop at the first one unless the cluster changes before it gets there.</p> : null}
            {approval ? <p className="text-sm text-amber-900">Step {approval.index + 1} needs a second DBA&apos;s approval: the run waits there.</p> : null}
          </div>
          <PlanTable plan={preview.plan} prechecks={preview.prechecks} />
          <div className="flex flex-wrap items-center gap-3 px-4 pb-3">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={reviewed} onChange={(e) => setReviewed(e.target.checked)} data-testid="reviewed" />
              I reviewed the {preview.plan.steps.length} steps above
            </label>
            <button type="button" className="btn btn-primary" disabled={!reviewed || start.isPending} onClick={() => start.mutate()} data-testid="start-run">
              {start.isPending ? "Starting…" : "Start run"}
            </button>
            {error ? <p className="text-sm text-red-700" role="alert" data-testid="start-error">{error.message}</p> : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
