import { z } from "zod";
import { engineSchema, ENGINE_SPECS } from "../engines";
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

/** Version and settings are checked against the chosen engine; errors are reported on their own fields. */
function checkEngineFields<T extends z.infer<typeof clusterFields>>(value: T, ctx: z.RefinementCtx): T {
  const spec = ENGINE_SPECS[value.engine];
  const version = spec.version.safeParse(value.version);
  if (!version.success) ctx.addIssue({ code: "custom", path: ["version"], message: version.error.issues[0]?.message ?? "invalid version" });
  const settings = spec.settings.safeParse(value.settings);
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      ctx.addIssue({ code: "custom", path: ["settings", ...issue.path.map(String)], message: issue.message });
    }
  }
  const unknown = Object.keys(value.settings).filter((k) => !(k in spec.settings.shape));
  for (const key of unknown) ctx.addIssue({ code: "custom", path: ["settings", key], message: `not a ${spec.label} setting` });
  return { ...value, settings: settings.success ? (settings.data as Record<string, string | number>) : value.settings };
}

export const createClusterInput = clusterFields.transform((v, ctx) => checkEngineFields(v, ctx));
export const updateClusterInput = clusterFields.extend({ id: idField }).transform((v, ctx) => checkEngineFields(v, ctx));
export const deleteClusterInput = z.object({ id: idField, confirmName: z.string().trim() });
