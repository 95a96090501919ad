import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { renderCmScript } from "@/lib/engines/prosync/cm-script";
import {
  AgentCfgInputSchema,
  CmScriptInputSchema,
  type FileText,
  type Finding,
  InstallAgentInputSchema,
  InstallCfgInputSchema,
  type ProsyncConfigSet,
  renderAgentCfg,
  renderInstallAgentCfg,
  renderInstallCfg,
  validateProsyncConfig,
} from "@/lib/engines/prosync/validate-config";

// Seed 003's four kinds of file, generated from one editor model or pasted as they are on the hosts,
// then validated as a set. Neither reads nor changes anything: inventory:read, no audit row.

/** CM starts the script with its shebang; /bin/sh is offered because the seed's own template uses it. */
export const SHELLS = ["/bin/bash", "/bin/sh"] as const;

const ScriptEditorSchema = CmScriptInputSchema.omit({ agentId: true }).extend({ shell: z.enum(SHELLS) });

export const AgentEditorSchema = InstallAgentInputSchema.element.extend({
  ...AgentCfgInputSchema.shape,
  /** prs_<cm id>.sh: only for an agent with a CM ID. */
  script: ScriptEditorSchema.optional(),
});

export const GenerateInputSchema = z.object({
  agents: z.array(AgentEditorSchema).min(1, "add at least one agent").max(64, "at most 64 agents"),
  install: InstallCfgInputSchema,
});
export type GenerateInput = z.input<typeof GenerateInputSchema>;

export type ConfigCheck = { files: FileText[]; findings: Finding[] };

function rendered(r: { ok: true; text: string } | { ok: false; error: string }): string {
  // The editor schema is built from the renderers' own schemas, so a refusal here is a programming error.
  if (!r.ok) throw new Error(`render refused validated input: ${r.error}`);
  return r.text;
}

/** Every file of the editor model, named as on the hosts; CM scripts are prefixed by their agent (`agent1/prs_0.sh`). */
export function generateConfigSet(input: z.output<typeof GenerateInputSchema>): { set: ProsyncConfigSet; files: FileText[] } {
  const installAgentCfg = { fileName: "prs_install_agent.cfg", text: rendered(renderInstallAgentCfg(input.agents.map(({ id, host, port, cmGroup, cmId }) => ({ id, host, port, cmGroup, cmId })))) };
  const agentCfgs = input.agents.map((a) => ({
    fileName: `prs_agent_${a.id}.cfg`,
    text: rendered(renderAgentCfg({ listenerPort: a.listenerPort, logLevel: a.logLevel, logDir: a.logDir, useCm: a.useCm, cm: a.cm })),
  }));
  const installCfg = { fileName: "prs_install.cfg", text: rendered(renderInstallCfg(input.install)) };
  const cmScripts = input.agents.flatMap((a) =>
    a.script && a.cmId !== undefined ? [{ fileName: `${a.id}/prs_${a.cmId}.sh`, text: renderCmScript({ tbHome: a.script.tbHome, prsHome: a.script.prsHome, agentId: a.id, shell: a.script.shell }) }] : [],
  );
  const set = { installAgentCfg, agentCfgs, installCfg, cmScripts };
  return { set, files: [installAgentCfg, ...agentCfgs, installCfg, ...cmScripts] };
}

export const generateProsyncConfigAction = defineAction({
  name: "tools.prosync_config_generate",
  permission: "inventory:read",
  input: GenerateInputSchema,
  run: async (_ctx, input) => {
    const { set, files } = generateConfigSet(input);
    return ok<ConfigCheck>({ files, findings: validateProsyncConfig(set) });
  },
});

const KINDS = [
  { kind: "installAgent", re: /^prs_install_agent\.cfg$/ },
  { kind: "agent", re: /^prs_agent_[A-Za-z0-9_]+\.cfg$/ },
  { kind: "install", re: /^prs_install\.cfg$/ },
  { kind: "script", re: /^prs_\d+\.sh$/ },
] as const;

function kindOf(fileName: string): (typeof KINDS)[number]["kind"] | undefined {
  const base = fileName.split("/").at(-1) ?? "";
  return KINDS.find((k) => k.re.test(base))?.kind;
}

const PastedFileSchema = z.object({
  fileName: z
    .string({ error: "required" })
    .trim()
    .min(1, "required")
    .max(200, "at most 200 characters")
    .refine((n) => kindOf(n) !== undefined, "name it prs_install_agent.cfg, prs_agent_<id>.cfg, prs_install.cfg or prs_<cm id>.sh"),
  text: z.string({ error: "required" }).max(200_000, "at most 200,000 characters").refine((t) => t.trim() !== "", "paste the file's text"),
});

export const ValidatePastedInputSchema = z.object({
  files: z
    .array(PastedFileSchema)
    .min(1, "add at least one file")
    .max(64, "at most 64 files")
    .superRefine((files, ctx) => {
      for (const one of ["installAgent", "install"] as const) {
        const at = files.map((f, i) => (kindOf(f.fileName) === one ? i : -1)).filter((i) => i >= 0);
        for (const i of at.slice(1)) ctx.addIssue({ code: "custom", path: [i, "fileName"], message: "this file is already listed above" });
      }
    }),
});

export const validateProsyncConfigAction = defineAction({
  name: "tools.prosync_config_validate",
  permission: "inventory:read",
  input: ValidatePastedInputSchema,
  run: async (_ctx, { files }) => {
    const set: ProsyncConfigSet = {
      installAgentCfg: files.find((f) => kindOf(f.fileName) === "installAgent"),
      agentCfgs: files.filter((f) => kindOf(f.fileName) === "agent"),
      installCfg: files.find((f) => kindOf(f.fileName) === "install"),
      cmScripts: files.filter((f) => kindOf(f.fileName) === "script"),
    };
    return ok<ConfigCheck>({ files: [], findings: validateProsyncConfig(set) });
  },
});
