"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { z } from "zod";
import { ApiCallError, callApi } from "../api-client";
import { OtherErrors } from "./field-error";
import { FindingsTable, findingSchema } from "./findings-table";
import { GeneratedFiles } from "./generated-files";
import { AgentFiles, AgentsTable } from "./prosync-agent-fields";
import { agentDraft, type AgentDraft, generateRequest, installDraft, type InstallDraft } from "./prosync-draft";
import { InstallFields } from "./prosync-install-fields";
import { ProsyncPastedFiles } from "./prosync-pasted";

export const configResultSchema = z.object({ files: z.array(z.object({ fileName: z.string(), text: z.string() })), findings: z.array(findingSchema) });

/** Field paths the generator form shows next to a field; anything else is listed above the result. */
function shownByForm(key: string): boolean {
  return /^agents(\.\d+\.(id|host|port|cmGroup|cmId|listenerPort|logDir|cm\.\w+|script\.\w+))?$/.test(key) || /^install\.(instanceId|prsUser|prsPwd|delimiter|ext|apply\.(port|agents)|llob\.(port|agents)|(src|tar)\.(type|name|installUser|installPwd|cnt)|src\.aliases)(\.|$)/.test(key);
}

function Generator() {
  const nextKey = useRef(2);
  const [agents, setAgents] = useState<AgentDraft[]>(() => [agentDraft(0, 1), agentDraft(1, 2)]);
  const [install, setInstall] = useState<InstallDraft>(installDraft);
  const generate = useMutation({ mutationFn: async () => configResultSchema.parse(await callApi("POST", "/api/v1/tools/prosync-config/generate", generateRequest(agents, install))) });
  const errors = generate.error instanceof ApiCallError ? generate.error.error.fieldErrors : undefined;
  const setAgent = (key: number, patch: Partial<AgentDraft>) => setAgents((as) => as.map((a) => (a.key === key ? { ...a, ...patch } : a)));
  return (
    <div className="space-y-3" data-testid="prosync-generator">
      <section>
        <h3 className="mb-1 font-semibold">Agents <span className="font-mono text-xs font-normal text-slate-600">prs_install_agent.cfg</span></h3>
        <AgentsTable
          agents={agents}
          errors={errors}
          onChange={setAgent}
          onRemove={(key) => setAgents((as) => as.filter((a) => a.key !== key))}
          onAdd={() => setAgents((as) => [...as, agentDraft(nextKey.current++, as.length + 1)])}
        />
      </section>
      <section className="space-y-2">
        <h3 className="font-semibold">Per agent <span className="font-mono text-xs font-normal text-slate-600">prs_agent_&lt;id&gt;.cfg, prs_&lt;cm id&gt;.sh</span></h3>
        {agents.map((a, i) => <AgentFiles key={a.key} agent={a} index={i} errors={errors} onChange={(patch) => setAgent(a.key, patch)} />)}
      </section>
      <section>
        <h3 className="mb-1 font-semibold">Instance <span className="font-mono text-xs font-normal text-slate-600">prs_install.cfg</span></h3>
        <InstallFields install={install} errors={errors} onChange={(patch) => setInstall((c) => ({ ...c, ...patch }))} />
      </section>
      <div className="flex items-center gap-2">
        <button type="button" className="btn btn-primary" disabled={generate.isPending} onClick={() => generate.mutate()}>
          {generate.isPending ? "Generating…" : "Generate and validate"}
        </button>
        {generate.error ? <p role="alert" className="text-red-700">{generate.error.message}</p> : null}
      </div>
      <OtherErrors errors={errors} shown={shownByForm} />
      {generate.data ? (
        <>
          <FindingsTable findings={generate.data.findings} />
          <GeneratedFiles files={generate.data.files} />
        </>
      ) : null}
    </div>
  );
}

/** Generate the four kinds of ProSync file from one form, or validate files as they are. */
export function ProsyncConfigEditor() {
  const [mode, setMode] = useState<"generate" | "paste">("generate");
  return (
    <div className="space-y-3">
      <div className="flex gap-1" role="tablist">
        <button type="button" role="tab" aria-selected={mode === "generate"} className={`btn ${mode === "generate" ? "btn-primary" : ""}`} onClick={() => setMode("generate")}>Generate</button>
        <button type="button" role="tab" aria-selected={mode === "paste"} className={`btn ${mode === "paste" ? "btn-primary" : ""}`} onClick={() => setMode("paste")}>Validate pasted files</button>
      </div>
      {/* Both stay mounted so switching tabs keeps what was typed. */}
      <div hidden={mode !== "generate"}><Generator /></div>
      <div hidden={mode !== "paste"}><ProsyncPastedFiles /></div>
    </div>
  );
}
