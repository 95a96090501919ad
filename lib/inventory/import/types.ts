// What an import would create, read from a cluster's own status output. Plain data: it is computed
// on the server and shown in the preview, never accepted from a browser.

export type PlannedNode = {
  /** The engine's own name for the node, already valid for ENGINE_SPECS[engine].nodeName. */
  name: string;
  type: string;
  role: string;
  /** Group name for grouped types (Machbase warehouses), else null. */
  group: string | null;
  /** Address the output printed for the node (gcadmin IpAddress, CM network); null when it printed none. */
  hostAddress: string | null;
};

export type ImportPlan = {
  groups: string[];
  nodes: PlannedNode[];
  /** Rows left out or values that could not be used, as sentences naming the node (and line when known). */
  warnings: string[];
};

export type PlanError = { message: string; line: string; lineNumber: number };

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; error: PlanError };
