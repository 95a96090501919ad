"use client";

import { errorsAt, FieldError } from "./field-error";
import type { DbDraft, InstallDraft } from "./prosync-draft";
import { TextField } from "./text-field";

type Props = { install: InstallDraft; errors: Record<string, string[]> | undefined; onChange: (patch: Partial<InstallDraft>) => void };

const DB_FIELDS = [
  { name: "type", label: "DB_TYPE" },
  { name: "name", label: "DB_NAME" },
  { name: "installUser", label: "INSTALL_USER" },
  { name: "installPwd", label: "INSTALL_PWD" },
  { name: "cnt", label: "DB_CNT" },
] as const;

function DbFields({ side, db, errors, onChange }: { side: "src" | "tar"; db: DbDraft; errors: Props["errors"]; onChange: (patch: Partial<DbDraft>) => void }) {
  const prefix = side.toUpperCase();
  return (
    <>
      {DB_FIELDS.map((f) => (
        <TextField key={f.name} id={`install-${side}-${f.name}`} label={`${prefix}_${f.label}`} type={f.name === "installPwd" ? "password" : "text"} value={db[f.name]} onChange={(v) => onChange({ [f.name]: v })} errors={errors} path={`install.${side}.${f.name}`} />
      ))}
    </>
  );
}

/** prs_install.cfg: the instance, its process-to-agent map and both databases. */
export function InstallFields({ install: c, errors, onChange }: Props) {
  return (
    <div className="space-y-2" data-testid="install-fields">
      <div className="grid gap-2 md:grid-cols-4">
        <TextField id="install-instance" label="INSTANCE_ID" value={c.instanceId} onChange={(v) => onChange({ instanceId: v })} errors={errors} path="install.instanceId" />
        <TextField id="install-user" label="PRS_USER" value={c.prsUser} onChange={(v) => onChange({ prsUser: v })} errors={errors} path="install.prsUser" />
        <TextField id="install-pwd" label="PRS_PWD" type="password" value={c.prsPwd} onChange={(v) => onChange({ prsPwd: v })} errors={errors} path="install.prsPwd" />
        <TextField id="install-delimiter" label="AGENT_LIST_DELIMITER" value={c.delimiter} onChange={(v) => onChange({ delimiter: v })} errors={errors} path="install.delimiter" />
      </div>
      <div className="grid gap-2 md:grid-cols-[2fr_1fr_2fr_1fr_2fr]">
        <div>
          <label htmlFor="install-ext" className="block text-xs font-medium text-slate-700">EXT_AGENT_ID_LIST_&lt;n&gt; (one line per source instance)</label>
          <textarea id="install-ext" className="input h-16 font-mono" value={c.ext} aria-invalid={errorsAt(errors, "install.ext").length > 0} onChange={(e) => onChange({ ext: e.target.value })} />
          <FieldError errors={errors} name="install.ext" />
        </div>
        <TextField id="install-apply-port" label="APPLY_PORT" value={c.applyPort} onChange={(v) => onChange({ applyPort: v })} errors={errors} path="install.apply.port" />
        <TextField id="install-apply-agents" label="APPLY_AGENT_ID_LIST" value={c.applyAgents} onChange={(v) => onChange({ applyAgents: v })} errors={errors} path="install.apply.agents" />
        <TextField id="install-llob-port" label="LLOB_PORT" value={c.llobPort} onChange={(v) => onChange({ llobPort: v })} errors={errors} path="install.llob.port" />
        <TextField id="install-llob-agents" label="LLOB_AGENT_ID_LIST" value={c.llobAgents} onChange={(v) => onChange({ llobAgents: v })} errors={errors} path="install.llob.agents" />
      </div>
      <div className="grid gap-2 md:grid-cols-6">
        <DbFields side="src" db={c.src} errors={errors} onChange={(p) => onChange({ src: { ...c.src, ...p } })} />
        <TextField id="install-src-aliases" label="SRC_DB_ALIAS_<n> (comma-separated)" value={c.src.aliases} onChange={(v) => onChange({ src: { ...c.src, aliases: v } })} errors={errors} path="install.src.aliases" />
      </div>
      <div className="grid gap-2 md:grid-cols-6">
        <DbFields side="tar" db={c.tar} errors={errors} onChange={(p) => onChange({ tar: { ...c.tar, ...p } })} />
      </div>
    </div>
  );
}
