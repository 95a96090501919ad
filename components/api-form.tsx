"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ApiCallError, type ApiError, callApi } from "./api-client";

export type FieldDef = {
  name: string;
  label: string;
  type?: "text" | "password" | "textarea" | "select" | "checkbox" | "number";
  options?: { value: string; label: string }[];
  defaultValue?: string | number | boolean;
  placeholder?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
};

/** `settings.TB_HOME` → `{ settings: { TB_HOME } }`, so nested fields and their error keys line up. */
function nest(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const parts = key.split(".");
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts.at(-1)!] = value;
  }
  return out;
}

export function ApiForm(props: {
  method: "POST" | "PUT" | "DELETE";
  url: string;
  fields: FieldDef[];
  submitLabel: string;
  /** Where to go after success: a path, a function of the response, or nothing (refresh in place). */
  redirectTo?: string | ((data: unknown) => string);
  extra?: Record<string, unknown>;
  onChange?: (name: string, value: string) => void;
  onSuccess?: () => void;
  children?: ReactNode;
  testId?: string;
}) {
  const router = useRouter();
  // Several forms share a page (add group, add node): ids must be unique for labels to point at their own field.
  const formId = useId();
  const fieldId = (name: string) => `${formId}-${name.replace(/\./g, "-")}`;
  const [error, setError] = useState<ApiError | null>(null);
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => callApi(props.method, props.url, body),
    onSuccess: (data) => {
      setError(null);
      props.onSuccess?.();
      const target = typeof props.redirectTo === "function" ? props.redirectTo(data) : props.redirectTo;
      if (target) router.push(target);
      router.refresh();
    },
    onError: (e) => setError(e instanceof ApiCallError ? e.error : { code: "INTERNAL", message: String(e) }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const entries: [string, unknown][] = props.fields.map((f) => {
      const el = form.elements.namedItem(f.name) as HTMLInputElement | null;
      if (!el) return [f.name, undefined];
      return [f.name, f.type === "checkbox" ? el.checked : el.value];
    });
    mutation.mutate({ ...nest(entries), ...props.extra });
  }

  const errorsFor = (name: string) => error?.fieldErrors?.[name] ?? [];
  const unplaced = Object.entries(error?.fieldErrors ?? {}).filter(([k]) => !props.fields.some((f) => f.name === k));

  return (
    <form onSubmit={submit} className="space-y-3" noValidate data-testid={props.testId}>
      {props.fields.map((f) => {
        const errs = errorsFor(f.name);
        const common = {
          id: fieldId(f.name),
          name: f.name,
          "aria-invalid": errs.length > 0,
          "aria-describedby": errs.length ? `${fieldId(f.name)}-error` : undefined,
          onChange: (e: { target: { value: string } }) => props.onChange?.(f.name, e.target.value),
        };
        return (
          <div key={f.name} className={f.type === "checkbox" ? "flex items-center gap-2" : ""}>
            {f.type === "checkbox" ? (
              <>
                <input type="checkbox" {...common} defaultChecked={Boolean(f.defaultValue)} />
                <label htmlFor={fieldId(f.name)}>{f.label}</label>
              </>
            ) : (
              <>
                <label htmlFor={fieldId(f.name)} className="mb-0.5 block text-xs font-medium text-slate-700">
                  {f.label}
                  {f.required ? <span className="text-red-700" aria-hidden="true"> *</span> : null}
                </label>
                {f.type === "select" ? (
                  <select {...common} className="input" defaultValue={String(f.defaultValue ?? "")}>
                    {(f.options ?? []).map((o) => (
                      <option key={o.value} value={o.value}>{o.label}</option>
                    ))}
                  </select>
                ) : f.type === "textarea" ? (
                  <textarea {...common} className="input font-mono text-xs" rows={6} defaultValue={String(f.defaultValue ?? "")} placeholder={f.placeholder} />
                ) : (
                  <input
                    {...common}
                    className="input"
                    type={f.type === "number" ? "text" : (f.type ?? "text")}
                    inputMode={f.type === "number" ? "numeric" : undefined}
                    defaultValue={f.defaultValue === undefined ? undefined : String(f.defaultValue)}
                    placeholder={f.placeholder}
                    autoComplete={f.autoComplete ?? (f.type === "password" ? "new-password" : "off")}
                  />
                )}
              </>
            )}
            {f.hint && errs.length === 0 ? <p className="mt-0.5 text-xs text-slate-500">{f.hint}</p> : null}
            {errs.length ? (
              <p id={`${fieldId(f.name)}-error`} className="mt-0.5 text-xs text-red-700" data-field-error={f.name}>
                {errs.join("; ")}
              </p>
            ) : null}
          </div>
        );
      })}
      {props.children}
      {error && (!error.fieldErrors || unplaced.length > 0 || Object.keys(error.fieldErrors).length === 0) ? (
        <div role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-800">
          {error.message}
          {unplaced.map(([k, v]) => (
            <div key={k} className="text-xs">{k}: {v.join("; ")}</div>
          ))}
        </div>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
        {mutation.isPending ? "Saving…" : props.submitLabel}
      </button>
    </form>
  );
}
