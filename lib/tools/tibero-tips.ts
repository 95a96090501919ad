import { z } from "zod";
import { defineAction, ok } from "@/lib/api/action";
import { invalidField, fail } from "@/lib/api/errors";
import { type Finding, validateClusterTips } from "@/lib/engines/tibero/validate-tips";

// Validating pasted tips changes nothing and reads no host, so it needs only inventory:read and
// writes no audit row of its own (a refusal for lack of the permission is still audited).

const portNumber = z.number({ error: "a port number" }).int("a whole number").min(1, "1-65535").max(65535, "1-65535");

export const TipOptionsSchema = z.object({
  /** Before CREATE DATABASE: the first file is the creating instance (THREAD=0, UNDO0). */
  creating: z.boolean().default(false),
  maxInstances: z.number({ error: "a number" }).int("a whole number").min(1, "at least 1").max(4096, "at most 4096").optional(),
});

export const PastedTipSchema = z.object({
  fileName: z.string({ error: "required" }).trim().min(1, "required").max(200, "at most 200 characters"),
  /** The host the file belongs to; ports must differ only between instances on one host. */
  host: z.string().trim().max(253, "at most 253 characters").optional(),
  cmUiPort: portNumber.optional(),
  text: z.string({ error: "required" }).max(200_000, "at most 200,000 characters").refine((t) => t.trim() !== "", "paste the file's text"),
});

export const ValidateTipsInputSchema = TipOptionsSchema.extend({
  files: z.array(PastedTipSchema).min(1, "add at least one tip file").max(64, "at most 64 files"),
});

export type TipCheck = { findings: Finding[] };

/** Pasted files: a file without a host stands on a host of its own (its name). */
export const validateTipsAction = defineAction({
  name: "tools.tibero_tips_validate",
  permission: "inventory:read",
  input: ValidateTipsInputSchema,
  run: async (_ctx, { files, creating, maxInstances }) => {
    const inputs = files.map((f) => ({ fileName: f.fileName, text: f.text, host: f.host || f.fileName, ...(f.cmUiPort === undefined ? {} : { cmUiPort: f.cmUiPort }) }));
    const result = validateClusterTips(inputs, { creating, ...(maxInstances === undefined ? {} : { maxInstances }) });
    if (!result.ok) return fail(invalidField("files", result.error));
    return ok<TipCheck>({ findings: result.findings });
  },
});
