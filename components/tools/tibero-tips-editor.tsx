"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { ApiCallError, callApi } from "../api-client";
import { FieldError, OtherErrors } from "./field-error";
import { FindingsTable, findingSchema } from "./findings-table";

const resultSchema = z.object({ findings: z.array(findingSchema) });

type TipDraft = { key: number; fileName: string; host: string; cmUiPort: string; text: string };

const draft = (key: number, fileName: string): TipDraft => ({ key, fileName, host: "", cmUiPort: "", text: "" });

const optionalNumber = (s: string) => (s.trim() === "" ? undefined : Number(s));

const FILE_FIELDS = ["fileName", "host", "cmUiPort", "text"];

/** Paste every instance's $TB_SID.tip and validate them as one cluster. */
export function TiberoTipsEditor() {
  // Keys live per editor, so server and browser render the same element ids.
  const nextKey = useRef(2);
  const [files, setFiles] = useState<TipDraft[]>(() => [draft(0, "tac1.tip"), draft(1, "tac2.tip")]);
  const [creating, setCreating] = useState(false);
  const [maxInstances, setMaxInstances] = useState("");
  const validate = useMutation({
    mutationFn: async () =>
      resultSchema.parse(
        await callApi("POST", "/api/v1/tools/tibero-tips/validate", {
          creating,
          maxInstances: optionalNumber(maxInstances),
          files: files.map((f) => ({ fileName: f.fileName, host: f.host.trim() || undefined, cmUiPort: optionalNumber(f.cmUiPort), text: f.text })),
        }),
      ),
  });
  const errors = validate.error instanceof ApiCallError ? validate.error.error.fieldErrors : undefined;
  const set = (key: number, patch: Partial<TipDraft>) => setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  const shown = (k: string) => k === "maxInstances" || files.some((_, i) => FILE_FIELDS.some((n) => k === `files.${i}.${n}`));
  return (
    <div className="space-y-3" data-testid="tip-editor">
      <div className="space-y-3">
        {files.map((f, i) => (
          <fieldset key={f.key} className="rounded border border-slate-200 p-2" data-testid={`tip-file-${i}`}>
            <div className="grid gap-2 md:grid-cols-[2fr_2fr_1fr_auto]">
              <div>
                <label className="block text-xs font-medium text-slate-700" htmlFor={`tip-name-${f.key}`}>File name</label>
                <input id={`tip-name-${f.key}`} className="input font-mono" value={f.fileName} aria-invalid={!!errors?.[`files.${i}.fileName`]} onChange={(e) => set(f.key, { fileName: e.target.value })} />
                <FieldError errors={errors} name={`files.${i}.fileName`} />
              </div>
              <div>
                <label className="block text-xs font-medium text-slate-700" htmlFor={`tip-host-${f.key}`}>Host (optional)</label>
                <input id={`tip-host-${f.key}`} className="input font-mono" placeholder="its own host" value={f.host} aria-invalid={!!errors?.[`files.${i}.host`]} onChange={(e) => set(f.key, { host: e.target.value })} />
                <FieldError errors={errors} name={`files.${i}.host`} />
              </div>
              <div>
                <label className="block text-xs font-medium text-slate-700" htmlFor={`tip-cmui-${f.key}`}>CM_UI_PORT (optional)</label>
                <input id={`tip-cmui-${f.key}`} className="input font-mono" inputMode="numeric" value={f.cmUiPort} aria-invalid={!!errors?.[`files.${i}.cmUiPort`]} onChange={(e) => set(f.key, { cmUiPort: e.target.value })} />
                <FieldError errors={errors} name={`files.${i}.cmUiPort`} />
              </div>
              <div className="self-end">
                <button type="button" className="btn" disabled={files.length === 1} onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}>Remove</button>
              </div>
            </div>
            <label className="mt-2 block text-xs font-medium text-slate-700" htmlFor={`tip-text-${f.key}`}>Text of {f.fileName || "the file"}</label>
            <textarea id={`tip-text-${f.key}`} className="input h-36 font-mono text-xs" spellCheck={false} value={f.text} aria-invalid={!!errors?.[`files.${i}.text`]} onChange={(e) => set(f.key, { text: e.target.value })} />
            <FieldError errors={errors} name={`files.${i}.text`} />
          </fieldset>
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <button type="button" className="btn" onClick={() => setFiles((fs) => [...fs, draft(nextKey.current++, `tac${fs.length + 1}.tip`)])}>Add file</button>
        <label className="flex items-center gap-1"><input type="checkbox" checked={creating} onChange={(e) => setCreating(e.target.checked)} /> Before CREATE DATABASE (first file creates: THREAD=0, UNDO0)</label>
        <div>
          <label className="block text-xs font-medium text-slate-700" htmlFor="tip-maxinstances">MAXINSTANCES (optional)</label>
          <input id="tip-maxinstances" className="input w-28 font-mono" inputMode="numeric" value={maxInstances} aria-invalid={!!errors?.maxInstances} onChange={(e) => setMaxInstances(e.target.value)} />
          <FieldError errors={errors} name="maxInstances" />
        </div>
        <button type="button" className="btn btn-primary ml-auto" disabled={validate.isPending} onClick={() => validate.mutate()}>
          {validate.isPending ? "Validating…" : "Validate"}
        </button>
      </div>
      <OtherErrors errors={errors} shown={shown} />
      {validate.error && !errors ? <p role="alert" className="text-red-700">{validate.error.message}</p> : null}
      {validate.data ? <FindingsTable findings={validate.data.findings} /> : null}
    </div>
  );
}
