"use client";

import { Badge } from "../badge";
import { FieldError } from "./field-error";
import { CM_PARAMS, type AgentDraft, type Shell } from "./prosync-draft";
import { TextField } from "./text-field";

type Props = {
  agents: AgentDraft[];
  errors: Record<string, string[]> | undefined;
  onChange: (key: number, patch: Partial<AgentDraft>) => void;
  onRemove: (key: number) => void;
  onAdd: () => void;
};

/** prs_install_agent.cfg as a table, one row per agent. */
export function AgentsTable({ agents, errors, onChange, onRemove, onAdd }: Props) {
  const cols = [
    { name: "id", label: "AGENT_ID" },
    { name: "host", label: "AGENT_HOST" },
    { name: "port", label: "AGENT_PORT" },
    { name: "cmGroup", label: "AGENT_CM_GROUP" },
    { name: "cmId", label: "AGENT_CM_ID" },
  ] as const;
  return (
    <div>
      <table className="grid-table" data-testid="agents-table">
        <thead><tr><th>#</th>{cols.map((c) => <th key={c.name}>{c.label}</th>)}<th /></tr></thead>
        <tbody>
          {agents.map((a, i) => (
            <tr key={a.key}>
              <td className="font-mono text-slate-500">{i}</td>
              {cols.map((c) => (
                <td key={c.name}>
                  <TextField id={`agent-${a.key}-${c.name}`} label={`${c.label}_${i}`} hideLabel value={a[c.name]} onChange={(v) => onChange(a.key, { [c.name]: v })} errors={errors} path={`agents.${i}.${c.name}`} />
                </td>
              ))}
              <td><button type="button" className="btn" disabled={agents.length === 1} onClick={() => onRemove(a.key)}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError errors={errors} name="agents" exact />
      <button type="button" className="btn mt-2" onClick={onAdd}>Add agent</button>
    </div>
  );
}

/** One agent's prs_agent_<id>.cfg CM parameters and its prs_<cm id>.sh. */
export function AgentFiles({ agent: a, index: i, errors, onChange }: { agent: AgentDraft; index: number; errors: Record<string, string[]> | undefined; onChange: (patch: Partial<AgentDraft>) => void }) {
  const hasScript = a.cmId.trim() !== "";
  return (
    <fieldset className="rounded border border-slate-200 p-2" data-testid={`agent-files-${i}`}>
      <legend className="px-1 font-mono text-xs font-semibold">prs_agent_{a.id || "?"}.cfg{hasScript ? ` · prs_${a.cmId}.sh` : ""}</legend>
      <div className="grid gap-2 md:grid-cols-4">
        <TextField id={`agent-${a.key}-listener`} label="LISTENER_PORT" value={a.listenerPort} onChange={(v) => onChange({ listenerPort: v })} errors={errors} path={`agents.${i}.listenerPort`} />
        <TextField id={`agent-${a.key}-logdir`} label="LOG_DIR" className="md:col-span-2" value={a.logDir} onChange={(v) => onChange({ logDir: v })} errors={errors} path={`agents.${i}.logDir`} />
        <label className="flex items-center gap-1 self-end pb-2">
          <input type="checkbox" checked={a.useCm} onChange={(e) => onChange({ useCm: e.target.checked })} /> <span className="font-mono">USE_CM = Y</span>
        </label>
      </div>
      <div className="mt-2 grid gap-2 md:grid-cols-5">
        {CM_PARAMS.map((p) => (
          <div key={p.name} className={a.useCm ? "" : "opacity-60"}>
            <TextField id={`agent-${a.key}-${p.name}`} label={p.key} value={a.cm[p.name]} onChange={(v) => onChange({ cm: { ...a.cm, [p.name]: v } })} errors={errors} path={`agents.${i}.cm.${p.name}`} />
          </div>
        ))}
      </div>
      {a.useCm ? null : <p className="mt-1 text-xs text-amber-800">USE_CM = N: the PRS_AGENT_* parameters have no effect without USE_CM = Y, so they are left out of the file.</p>}
      {hasScript ? (
        <div className="mt-2 grid gap-2 md:grid-cols-[2fr_2fr_1fr]">
          <TextField id={`agent-${a.key}-tbhome`} label="TB_HOME" value={a.tbHome} onChange={(v) => onChange({ tbHome: v })} errors={errors} path={`agents.${i}.script.tbHome`} />
          <TextField id={`agent-${a.key}-prshome`} label="PRS_HOME" value={a.prsHome} onChange={(v) => onChange({ prsHome: v })} errors={errors} path={`agents.${i}.script.prsHome`} />
          <div>
            <label htmlFor={`agent-${a.key}-shell`} className="block text-xs font-medium text-slate-700">Script shebang</label>
            <select id={`agent-${a.key}-shell`} className="input font-mono" value={a.shell} onChange={(e) => onChange({ shell: e.target.value === "/bin/sh" ? "/bin/sh" : "/bin/bash" satisfies Shell })}>
              <option value="/bin/bash">#!/bin/bash</option>
              <option value="/bin/sh">#!/bin/sh</option>
            </select>
            <FieldError errors={errors} name={`agents.${i}.script.shell`} />
          </div>
        </div>
      ) : <p className="mt-1 text-xs text-slate-500">No AGENT_CM_ID: no CM script for this agent.</p>}
      {hasScript && a.shell === "/bin/sh" ? (
        <p className="mt-1 text-xs" data-testid="sh-warning"><Badge tone="warn">exit 127</Badge> Under /bin/sh, <span className="font-mono">source</span> does not exist, so CM&apos;s START ends with exit 127. Use #!/bin/bash.</p>
      ) : null}
    </fieldset>
  );
}
