"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { ApiCallError, callApi } from "../api-client";
import { errorsAt, FieldError, OtherErrors } from "./field-error";
import { FindingsTable, findingSchema } from "./findings-table";

const resultSchema = z.object({ findings: z.array(findingSchema) });

type Pasted = { key: number; fileName: string; text: string };

const INITIAL = ["prs_install_agent.cfg", "prs_install.cfg"];

/** Existing files, as they are on the hosts, validated together. */
export function ProsyncPastedFiles() {
  const nextKey = useRef(INITIAL.length);
  const [files, setFiles] = useState<Pasted[]>(() => INITIAL.map((fileName, key) => ({ key, fileName, text: "" })));
  const validate = useMutation({ mutationFn: async () => resultSchema.parse(await callApi("POST", "/api/v1/tools/prosync-config/validate", { files: files.map(({ fileName, text }) => ({ fileName, text })) })) });
  const errors = validate.error instanceof ApiCallError ? validate.error.error.fieldErrors : undefined;
  const set = (key: number, patch: Partial<Pasted>) => setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  return (
    <div className="space-y-3" data-testid="prosync-pasted">
      <p className="text-slate-600">Name each file as on the host: <span className="font-mono">prs_install_agent.cfg</span>, <span className="font-mono">prs_agent_&lt;id&gt;.cfg</span>, <span className="font-mono">prs_install.cfg</span> or <span className="font-mono">prs_&lt;cm id&gt;.sh</span>. Agent files and scripts are checked against prs_install_agent.cfg when it is given.</p>
      {files.map((f, i) => (
        <fieldset key={f.key} className="rounded border border-slate-200 p-2" data-testid={`pasted-file-${i}`}>
          <div className="flex items-end gap-2">
            <div className="grow">
              <label htmlFor={`prs-name-${f.key}`} className="block text-xs font-medium text-slate-700">File name</label>
              <input id={`prs-name-${f.key}`} className="input font-mono" value={f.fileName} aria-invalid={errorsAt(errors, `files.${i}.fileName`).length > 0} onChange={(e) => set(f.key, { fileName: e.target.value })} />
            </div>
            <button type="button" className="btn" disabled={files.length === 1} onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}>Remove</button>
          </div>
          <FieldError errors={errors} name={`files.${i}.fileName`} />
          <label htmlFor={`prs-text-${f.key}`} className="mt-2 block text-xs font-medium text-slate-700">Text of {f.fileName || "the file"}</label>
          <textarea id={`prs-text-${f.key}`} className="input h-32 font-mono text-xs" spellCheck={false} value={f.text} aria-invalid={errorsAt(errors, `files.${i}.text`).length > 0} onChange={(e) => set(f.key, { text: e.target.value })} />
          <FieldError errors={errors} name={`files.${i}.text`} />
        </fieldset>
      ))}
      <div className="flex gap-2">
        <button type="button" className="btn" onClick={() => setFiles((fs) => [...fs, { key: nextKey.current++, fileName: "", text: "" }])}>Add file</button>
        <button type="button" className="btn btn-primary ml-auto" disabled={validate.isPending} onClick={() => validate.mutate()}>{validate.isPending ? "Validating…" : "Validate"}</button>
      </div>
      <OtherErrors errors={errors} shown={(k) => /^files\.\d+\.(fileName|text)$/.test(k)} />
      {validate.error && !errors ? <p role="alert" className="text-red-700">{validate.error.message}</p> : null}
      {validate.data ? <FindingsTable findings={validate.data.findings} testId="pasted-findings" /> : null}
    </div>
  );
}
