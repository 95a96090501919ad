// The compiled plan: plain JSON, stored with a run so the run executes exactly what the wizard showed.
// Parsed back with these schemas when the engine loads a run.
import { z } from "zod";

export const PLAN_FORMAT = 1;

const inventoryNodeSchema = z.object({
  name: z.string(),
  type: z.string(),
  role: z.string(),
  group: z.string().nullable(),
  hostName: z.string(),
  hostAddress: z.string(),
});

export const planInventorySchema = z.object({
  engine: z.enum(["MACHBASE", "GBASE", "TIBERO", "PROSYNC", "POSTGRESQL"]),
  version: z.string(),
  settings: z.record(z.string(), z.union([z.string(), z.number()])),
  nodes: z.array(inventoryNodeSchema),
});
export type PlanInventory = z.infer<typeof planInventorySchema>;

export const planHostSchema = z.object({
  hostName: z.string(),
  hostAddress: z.string(),
  /** The node the step targets, when the selector named exactly one. */
  nodeName: z.string().nullable(),
});
export type PlanHost = z.infer<typeof planHostSchema>;

export const planItemSchema = z.object({
  blockId: z.string(),
  blockTitle: z.string(),
  index: z.number().int().min(0),
  label: z.string(),
  value: z.json(),
});
export type PlanItem = z.infer<typeof planItemSchema>;

const stepBase = {
  index: z.number().int().min(0),
  /** Stable name of the step within the procedure: `stepId` or `blockId[itemIndex]/stepId`. */
  key: z.string(),
  stepId: z.string(),
  title: z.string(),
  item: planItemSchema.nullable(),
  /** How to undo / what to do when this step fails. */
  help: z.string().nullable(),
};

export const planStdinSchema = z
  .object({ text: z.string().optional(), credential: z.string().min(1).optional() })
  .nullable()
  .default(null);
export type PlanStdin = z.infer<typeof planStdinSchema>;

const remote = {
  host: planHostSchema,
  argv: z.array(z.string()).min(1),
  /** Fed to the command; a credential is named by id and unsealed only when the step runs. */
  stdin: planStdinSchema,
};

export const planStepSchema = z.discriminatedUnion("kind", [
  z.object({ ...stepBase, ...remote, kind: z.literal("precheck"), timeoutMs: z.number().int().positive() }),
  z.object({ ...stepBase, ...remote, kind: z.literal("verify"), timeoutMs: z.number().int().positive() }),
  z.object({
    ...stepBase,
    ...remote,
    kind: z.literal("action"),
    idempotent: z.boolean(),
    timeoutMs: z.number().int().positive(),
    /** Inventory roles recorded when this action succeeds. */
    setsRoles: z.array(z.object({ node: z.string(), role: z.string() })).default([]),
  }),
  z.object({
    ...stepBase,
    ...remote,
    kind: z.literal("wait-until"),
    timeoutMs: z.number().int().positive(),
    pollMs: z.number().int().positive(),
    probeTimeoutMs: z.number().int().positive(),
  }),
  z.object({ ...stepBase, kind: z.literal("confirm"), text: z.string(), destructive: z.boolean() }),
]);
export type PlanStep = z.infer<typeof planStepSchema>;

export const planSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  procedureId: z.string(),
  title: z.string(),
  engine: planInventorySchema.shape.engine,
  mutating: z.boolean(),
  approval: z.enum(["none", "second-dba"]),
  /** The procedure asks for a second DBA, or a destructive confirm step does. */
  requiresSecondDba: z.boolean(),
  /** Validated parameters (the schema's output). */
  params: z.record(z.string(), z.json()),
  /** The inventory the plan was compiled against. */
  inventory: planInventorySchema,
  steps: z.array(planStepSchema),
});
export type Plan = z.infer<typeof planSchema>;
