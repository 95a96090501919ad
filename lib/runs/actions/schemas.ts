import { z } from "zod";

export const planRequestInput = z.object({
  clusterId: z.uuid({ message: "Choose a cluster." }),
  procedureId: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const startRunInput = planRequestInput.extend({
  /** The digest of the plan the operator reviewed: the run starts only if the plan is still exactly that. */
  planDigest: z.string().regex(/^[0-9a-f]{64}$/, "Review the plan first."),
});

export const runStepInput = z.object({ runId: z.uuid(), stepIndex: z.number().int().min(0) });

export const cancelRunInput = z.object({ runId: z.uuid() });

export const decideRunInput = z
  .object({
    runId: z.uuid(),
    decision: z.enum(["retry", "mark-done", "abort"]),
    note: z.string().trim().max(2000).default(""),
  })
  .superRefine((value, ctx) => {
    if (value.decision === "mark-done" && value.note.length < 3) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say what you checked on the cluster that shows this step took effect." });
    }
  });
