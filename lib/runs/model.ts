// A procedure is data plus pure functions: parameters (a zod object that also renders the wizard form)
// and ordered steps. Nothing here touches a host; compilePlan (plan.ts) turns a procedure, its
// parameters and the cluster's inventory into a concrete, storable plan.
import type { z } from "zod";

import type { ProbeTarget } from "../status/types";
import { bindLeaf, type BoundStep } from "./bind";

export { DEFAULT_ACTION_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS } from "./defaults";
export { describeParameters, describeField, type ParameterField, type FieldType } from "./parameters";

export type Engine = ProbeTarget["engine"];
export type InventoryNode = ProbeTarget["nodes"][number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What every step function sees: the validated parameters, the forEach item (null outside one), the inventory. */
export type StepScope<P, I> = {
  params: P;
  item: I;
  settings: ProbeTarget["settings"];
  nodes: readonly InventoryNode[];
};

/** A value fixed in the definition, or computed from the scope at compile time. */
export type Resolvable<T, S> = T | ((scope: S) => T);

/** An argv, or the result of an engine's argv builder (lib/engines/<engine>/commands.ts returns these). */
export type ArgvBuild = readonly string[] | { ok: true; argv: readonly string[] } | { ok: false; field: string; message: string };

/**
 * Where a step runs. `node`: the host carrying that node. `host`: a host by name. `where`: nodes matching
 * every given property; they must all live on one host unless `pick: "first"` (first in inventory order).
 */
export type HostSelector<S> =
  | { node: Resolvable<string, S> }
  | { host: Resolvable<string, S> }
  | {
      where: { type?: Resolvable<string, S>; role?: Resolvable<string, S>; group?: Resolvable<string | null, S> };
      pick?: "only" | "first";
    };

export type ProbeOutput = { exitCode: number; stdout: string; stderr: string };
/** A check's verdict. A passing check may say what it found (shown as the step's result on the run page). */
export type CheckResult = { ok: true; note?: string } | { ok: false; reason: string };
/** Pure: the probe's output (parse it inside, e.g. with `parsed()`) and the scope → ok or a reason a DBA can act on. */
export type Assertion<S> = (output: ProbeOutput, scope: S) => CheckResult;

type StepBase<S> = {
  /** Unique within the procedure; with the forEach item it names the step in a stored plan. */
  id: string;
  title: Resolvable<string, S>;
  /** What to do if this step fails: how to undo, what state the cluster is left in, the next step. */
  onFailure?: Resolvable<string, S>;
};

/**
 * What a remote step feeds the command on stdin. `text` is stored in the plan and shown in the preview
 * (an SQL script, a python snippet). `credential` is a Credential id: its secret is unsealed only when
 * the step runs and sent as the first line, before `text`; the plan holds the id, never the secret.
 */
export type StdinSpec = { text?: string; credential?: string };

type ProbeBase<S> = StepBase<S> & {
  host: HostSelector<S>;
  argv: Resolvable<ArgvBuild, S>;
  stdin?: Resolvable<StdinSpec | null, S>;
  /** Per probe command; defaults to DEFAULT_PROBE_TIMEOUT_MS. */
  timeoutMs?: number;
};

export type PrecheckStep<S> = ProbeBase<S> & { kind: "precheck"; assert: Assertion<S> };
export type VerifyStep<S> = ProbeBase<S> & { kind: "verify"; assert: Assertion<S> };

export type ActionStep<S> = StepBase<S> & {
  kind: "action";
  host: HostSelector<S>;
  argv: Resolvable<ArgvBuild, S>;
  stdin?: Resolvable<StdinSpec | null, S>;
  /** True only when running it twice is harmless: a resumed run never repeats a non-idempotent action by itself. */
  idempotent: boolean;
  onFailure: Resolvable<string, S>;
  /** Defaults to DEFAULT_ACTION_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * Inventory roles this action establishes (a promotion: the standby is now the primary). Keel records
   * them, audited, in the transaction that records the step's success; the plan shows them.
   */
  setsRoles?: Resolvable<readonly NodeRole[], S>;
};

/** A node's role in Keel's inventory, set by a step. */
export type NodeRole = { node: string; role: string };

export type WaitUntilStep<S> = StepBase<S> & {
  kind: "wait-until";
  host: HostSelector<S>;
  argv: Resolvable<ArgvBuild, S>;
  stdin?: Resolvable<StdinSpec | null, S>;
  until: Assertion<S>;
  /** One line shown while waiting ("192.168.0.3:5301: sync-standby, RP running"); defaults to the assertion's reason. */
  progress?: (output: ProbeOutput, scope: S) => string;
  /** Total time allowed for the condition to hold. */
  timeoutMs: number;
  pollMs: number;
  /** Per poll command; defaults to DEFAULT_PROBE_TIMEOUT_MS. */
  probeTimeoutMs?: number;
};

export type ConfirmStep<S> = StepBase<S> & {
  kind: "confirm";
  text: Resolvable<string, S>;
  /** A second DBA, not the one who started the run, must approve. */
  destructive: boolean;
};

export type LeafStep<S> = PrecheckStep<S> | VerifyStep<S> | ActionStep<S> | WaitUntilStep<S> | ConfirmStep<S>;
export type StepKind = LeafStep<unknown>["kind"];

export type ForEachBlock<P, I extends JsonValue> = {
  id: string;
  title: string;
  /** The items in execution order (e.g. warehouses group by group, the leader broker last). */
  items: (scope: StepScope<P, null>) => readonly I[];
  /** How an item is named in the plan, e.g. the node name. */
  label: (item: I) => string;
  steps: readonly LeafStep<StepScope<P, I>>[];
};

/** A forEach block with its item type closed over: it expands straight into bound steps. */
export type ForEachStep<P> = {
  kind: "forEach";
  id: string;
  title: string;
  stepIds: readonly string[];
  expand: (scope: StepScope<P, null>) => BoundStep[];
};

export type ProcedureStep<P> = LeafStep<StepScope<P, null>> | ForEachStep<P>;

export type Approval = "none" | "second-dba";

/** What the inventory knows about a host beyond its address (procedures may depend on it). */
export type HostFacts = { runsMwaOrCollector: boolean; /** Keel's pinned host key, SHA256:… (null until trusted). */ hostKeyFingerprint: string | null };

/**
 * Parameters that are facts of the inventory, not choices: filled by the engine from the cluster and
 * its hosts, over whatever the form sent (e.g. whether the deployer's host runs MWA or a Collector).
 */
export type InventoryParams = (inventory: {
  version: string;
  settings: ProbeTarget["settings"];
  nodes: readonly InventoryNode[];
  hosts: ReadonlyMap<string, HostFacts>;
}) => Record<string, JsonValue>;

export type Procedure<Schema extends z.ZodObject = z.ZodObject> = {
  id: string;
  engine: Engine;
  title: string;
  description: string;
  parameters: Schema;
  /** Changes the cluster: takes the cluster's one mutating-run lease. */
  mutating: boolean;
  approval: Approval;
  fromInventory?: InventoryParams;
  steps: readonly ProcedureStep<z.output<Schema>>[];
};

/** Step builders typed by the procedure's parameters (TypeScript cannot infer them inside the steps array). */
export type StepBuilders<P> = {
  forEach: <I extends JsonValue>(block: ForEachBlock<P, I>) => ForEachStep<P>;
};

export type ProcedureDefinition<Schema extends z.ZodObject> = Omit<Procedure<Schema>, "steps"> & {
  steps: readonly ProcedureStep<z.output<Schema>>[] | ((build: StepBuilders<z.output<Schema>>) => readonly ProcedureStep<z.output<Schema>>[]);
};

/** The steps' scopes take their parameter type from the schema; `steps` may use the typed builders. */
export function defineProcedure<Schema extends z.ZodObject>(definition: ProcedureDefinition<Schema>): Procedure<Schema> {
  const { steps, ...rest } = definition;
  return { ...rest, steps: typeof steps === "function" ? steps({ forEach }) : steps };
}

/** Repeats `steps` for each item, in order (rolling procedures); each item's steps run before the next item's. */
export function forEach<P, I extends JsonValue>(block: ForEachBlock<P, I>): ForEachStep<P> {
  return {
    kind: "forEach",
    id: block.id,
    title: block.title,
    stepIds: block.steps.map((s) => s.id),
    expand: (scope) =>
      block.items(scope).flatMap((item, index) => {
        const itemScope: StepScope<P, I> = { ...scope, item };
        const placement = { blockId: block.id, blockTitle: block.title, index, label: block.label(item), value: item };
        return block.steps.map((step) => bindLeaf(step, itemScope, placement));
      }),
  };
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Builds an assertion from a parser of the probe's output and a check over the parsed value. */
export function parsed<T, S>(parse: (output: ProbeOutput) => ParseOutcome<T>, check: (value: T, scope: S) => CheckResult): Assertion<S> {
  return (output, scope) => {
    const value = parse(output);
    return value.ok ? check(value.value, scope) : { ok: false, reason: value.reason };
  };
}
