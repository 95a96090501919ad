// A procedure's parameter schema → the fields the wizard form renders. The schema stays the one source
// of truth: labels and help come from `.meta({ label, help })` (or `.describe()`), types and choices
// from the schema itself, so the form can never offer a value the schema would refuse.
import { z } from "zod";

export type FieldType = "text" | "number" | "boolean" | "enum" | "list";

export type ParameterField = {
  name: string;
  label: string;
  help: string | null;
  type: FieldType;
  /** Whole numbers only (number fields). */
  integer: boolean;
  /** The choices of an enum field, or of each item of a list of enums. */
  options: string[] | null;
  /** The type of each item of a list field. */
  itemType: Exclude<FieldType, "list"> | null;
  required: boolean;
  defaultValue: unknown;
  /**
   * "credential": a stored Credential's id, chosen from a list (its secret never reaches the form).
   * "node": a node name of the cluster (the form offers them).
   */
  input: "credential" | "node" | null;
};

type Unwrapped = { core: z.ZodType; required: boolean; defaultValue: unknown; metas: Record<string, unknown>[] };

function metaOf(schema: z.ZodType): Record<string, unknown> | null {
  return z.globalRegistry.get(schema) ?? null;
}

/** Peels optional/nullable/default/pipe wrappers, keeping every layer's metadata (outermost first). */
function unwrap(schema: z.ZodType): Unwrapped {
  const metas: Record<string, unknown>[] = [];
  let required = true;
  let defaultValue: unknown = undefined;
  let current: z.ZodType = schema;
  for (;;) {
    const meta = metaOf(current);
    if (meta) metas.push(meta);
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      required = false;
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodDefault) {
      required = false;
      defaultValue = current.def.defaultValue;
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // A transform's input is what the form collects.
      current = current.in as z.ZodType;
    } else {
      return { core: current, required, defaultValue, metas };
    }
  }
}

function firstText(metas: Record<string, unknown>[], key: string): string | null {
  for (const meta of metas) {
    const value = meta[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return null;
}

function humanize(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

type Scalar = { type: Exclude<FieldType, "list">; integer: boolean; options: string[] | null };

function scalarOf(core: z.ZodType): Scalar {
  if (core instanceof z.ZodNumber) return { type: "number", integer: core.isInt, options: null };
  if (core instanceof z.ZodBoolean) return { type: "boolean", integer: false, options: null };
  if (core instanceof z.ZodEnum) return { type: "enum", integer: false, options: core.options.map(String) };
  if (core instanceof z.ZodLiteral) return { type: "enum", integer: false, options: [...core.values].map(String) };
  return { type: "text", integer: false, options: null };
}

/** A parameter naming a stored credential: `.meta({ input: "credential" })`, or a name ending in Credential. */
export function isCredentialParameter(name: string, metas: Record<string, unknown>[] = []): boolean {
  return metas.some((m) => m.input === "credential") || /Credential$/.test(name);
}

export function describeField(name: string, schema: z.ZodType): ParameterField {
  const { core, required, defaultValue, metas } = unwrap(schema);
  const label = firstText(metas, "label") ?? firstText(metas, "title") ?? humanize(name);
  const help = firstText(metas, "help") ?? firstText(metas, "description");
  const input = isCredentialParameter(name, metas) ? "credential" : metas.some((m) => m.input === "node") ? "node" : null;
  if (core instanceof z.ZodArray) {
    const item = scalarOf(unwrap(core.element as z.ZodType).core);
    return { name, label, help, type: "list", integer: item.integer, options: item.options, itemType: item.type, required, defaultValue, input };
  }
  const scalar = scalarOf(core);
  return { name, label, help, ...scalar, itemType: null, required, defaultValue, input };
}

/** The form fields of a parameter schema, in declaration order. */
export function describeParameters(schema: z.ZodObject): ParameterField[] {
  return Object.entries(schema.shape).map(([name, field]) => describeField(name, field as z.ZodType));
}
