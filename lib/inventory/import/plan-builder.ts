// Collects nodes for a plan, holding each to the same rules a person's form entry is held to
// (ENGINE_SPECS: name, type, role, grouping). A row that fails becomes a warning, never a crash.
import { ENGINE_SPECS, type EngineName } from "../engines";
import { hostAddress as hostAddressField, nameField } from "../fields";
import type { ImportPlan, PlannedNode } from "./types";

export type NodeCandidate = {
  name: string;
  type: string;
  role: string;
  group: string | null;
  hostAddress: string | null;
  /** Where the row was printed, for the warning (e.g. "line 7"); omitted when the parser does not say. */
  where?: string;
};

export type PlanBuilder = {
  add: (candidate: NodeCandidate) => void;
  warn: (message: string) => void;
  build: () => ImportPlan;
};

export function planBuilder(engine: EngineName): PlanBuilder {
  const spec = ENGINE_SPECS[engine];
  const nodes: PlannedNode[] = [];
  const groups: string[] = [];
  const warnings: string[] = [];

  function add(c: NodeCandidate): void {
    const prefix = `${c.where ? `${c.where}: ` : ""}${c.type || "node"} '${c.name}'`;
    const skip = (why: string): void => {
      warnings.push(`${prefix} not imported: ${why}`);
    };
    const name = spec.nodeName.safeParse(c.name);
    if (!name.success) return skip(`${spec.label} node names are ${spec.nodeNameHint}`);
    const roles = spec.nodeTypes[c.type];
    if (!roles) return skip(`${spec.label} node types are ${Object.keys(spec.nodeTypes).join(", ")}`);
    if (!roles.includes(c.role)) return skip(`a ${c.type} takes the role ${roles.map((r) => r || "(none)").join(" or ")}, not '${c.role}'`);
    let group: string | null = null;
    if (spec.groupedTypes.includes(c.type)) {
      const parsed = nameField.safeParse(c.group ?? "");
      if (!parsed.success) return skip(`its group '${c.group ?? ""}' is not a valid group name (${parsed.error.issues[0]?.message ?? "invalid"})`);
      group = parsed.data;
    }
    if (nodes.some((n) => n.name === name.data)) return skip("the output lists this name twice; the first row was kept");
    let address: string | null = null;
    if (c.hostAddress !== null) {
      const parsed = hostAddressField.safeParse(c.hostAddress);
      if (parsed.success) address = parsed.data;
      else warnings.push(`${prefix}: address '${c.hostAddress}' is not an IPv4 address or host name; its host must be picked`);
    }
    if (group !== null && !groups.includes(group)) groups.push(group);
    nodes.push({ name: name.data, type: c.type, role: c.role, group, hostAddress: address });
  }

  return {
    add,
    warn: (message) => warnings.push(message),
    build: () => ({ groups: [...groups], nodes: [...nodes], warnings: [...warnings] }),
  };
}
