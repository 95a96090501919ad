import { z } from "zod";
import { type EngineName, engineSchema, ENGINE_SPECS } from "../engines";
import { idField, nameField } from "../fields";

const settingsInput = z
  .record(z.string(), z.union([z.string(), z.number()]).nullish(), { error: "settings must be an object of strings" })
  .default({})
  // Empty form fields mean "not set".
  .transform((s) =>
    Object.fromEntries(Object.entries(s).filter((e): e is [string, string | number] => e[1] !== "" && e[1] !== null && e[1] !== undefined)),
  );

const clusterFields = z.object({
  name: nameField,
  engine: engineSchema,
  version: z.string({ error: "required" }).trim().min(1, "required"),
  description: z.string().trim().max(500, "at most 500 characters").default(""),
  settings: settingsInput,
});

export type ClusterInput = {
  name: string;
  engine: EngineName;
  version: string;
  description: string;
  settings: Record<string, string | number>;
};

type Issue = { path: PropertyKey[]; message: string };

/** Version and settings are checked against the chosen engine, each error on its own field. */
function engineIssues(raw: Record<string, unknown>): { issues: Issue[]; settings: Record<string, string | number> } {
  const engine = engineSchema.safeParse(raw.engine);
  const settingsParsed = settingsInput.safeParse(raw.settings);
  if (!engine.success || !settingsParsed.success) return { issues: [], settings: {} };
  const spec = ENGINE_SPECS[engine.data];
  const issues: Issue[] = [];
  if (typeof raw.version === "string" && raw.version.trim() !== "") {
    const version = spec.version.safeParse(raw.version);
    if (!version.success) issues.push({ path: ["version"], message: version.error.issues[0]?.message ?? "invalid version" });
  }
  const settings = spec.settings.safeParse(settingsParsed.data);
  if (!settings.success) {
    for (const issue of settings.error.issues) issues.push({ path: ["settings", ...issue.path], message: issue.message });
  }
  for (const key of Object.keys(settingsParsed.data).filter((k) => !(k in spec.settings.shape))) {
    issues.push({ path: ["settings", key], message: `not a ${spec.label} setting` });
  }
  return { issues, settings: settings.success ? (settings.data as Record<string, string | number>) : {} };
}

/**
 * Reports every problem at once — the common fields and the engine-specific ones — rather than
 * stopping at the first failing layer, so a form shows all its field errors in one round trip.
 */
function clusterInput<B extends z.ZodObject>(base: B) {
  return z.unknown().transform((raw, ctx): z.output<B> & ClusterInput => {
    const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const parsed = base.safeParse(record);
    const issues: Issue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path, message: i.message }));
    const engine = engineIssues(record);
    issues.push(...engine.issues);
    for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    if (!parsed.success || issues.length > 0) return z.NEVER;
    return { ...(parsed.data as z.output<B> & ClusterInput), settings: engine.settings };
  });
}

export const createClusterInput = clusterInput(clusterFields);
export const updateClusterInput = clusterInput(clusterFields.extend({ id: idField }));
export const deleteClusterInput = z.object({ id: idField, confirmName: z.string().trim() });
