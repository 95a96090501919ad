// Applies a step definition to one scope (parameters, forEach item, inventory): every Resolvable
// computed, assertions closed over the scope. Hosts are still selectors here; plan.ts resolves them.
import { DEFAULT_ACTION_TIMEOUT_MS, DEFAULT_PROBE_TIMEOUT_MS } from "./defaults";
import type {
  ArgvBuild,
  CheckResult,
  HostSelector,
  JsonValue,
  LeafStep,
  ProbeOutput,
  NodeRole,
  Resolvable,
  StdinSpec,
  StepKind,
} from "./model";

/** Which forEach item a step was generated for. */
export type ItemPlacement = { blockId: string; blockTitle: string; index: number; label: string; value: JsonValue };

export type BoundSelector =
  | { node: string }
  | { host: string }
  | { where: { type?: string; role?: string; group?: string | null }; pick: "only" | "first" };

export type BoundStep = {
  stepId: string;
  kind: StepKind;
  title: string;
  help: string | null;
  item: ItemPlacement | null;
  host: BoundSelector | null;
  argv: ArgvBuild | null;
  stdin: StdinSpec | null;
  idempotent: boolean;
  setsRoles: readonly NodeRole[];
  timeoutMs: number | null;
  pollMs: number | null;
  probeTimeoutMs: number | null;
  confirm: { text: string; destructive: boolean } | null;
  check: ((output: ProbeOutput) => CheckResult) | null;
  progress: ((output: ProbeOutput) => string) | null;
};

export function resolve<T, S>(value: Resolvable<T, S>, scope: S): T {
  // Resolvable values are never functions themselves (strings, argv, selectors' fields).
  return typeof value === "function" ? (value as (scope: S) => T)(scope) : value;
}

function bindSelector<S>(selector: HostSelector<S>, scope: S): BoundSelector {
  if ("node" in selector) return { node: resolve(selector.node, scope) };
  if ("host" in selector) return { host: resolve(selector.host, scope) };
  const where: { type?: string; role?: string; group?: string | null } = {};
  if (selector.where.type !== undefined) where.type = resolve(selector.where.type, scope);
  if (selector.where.role !== undefined) where.role = resolve(selector.where.role, scope);
  if (selector.where.group !== undefined) where.group = resolve(selector.where.group, scope);
  return { where, pick: selector.pick ?? "only" };
}

export function bindLeaf<S>(step: LeafStep<S>, scope: S, item: ItemPlacement | null): BoundStep {
  const base = {
    stepId: step.id,
    kind: step.kind,
    title: resolve(step.title, scope),
    help: step.onFailure === undefined ? null : resolve(step.onFailure, scope),
    item,
  };
  const none = { pollMs: null, probeTimeoutMs: null, confirm: null, progress: null, setsRoles: [] };
  const stdinOf = (spec: Resolvable<StdinSpec | null, S> | undefined): StdinSpec | null =>
    spec === undefined ? null : resolve(spec, scope);
  switch (step.kind) {
    case "precheck":
    case "verify":
      return {
        ...base,
        ...none,
        host: bindSelector(step.host, scope),
        argv: resolve(step.argv, scope),
        stdin: stdinOf(step.stdin),
        idempotent: true,
        timeoutMs: step.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
        check: (output) => step.assert(output, scope),
      };
    case "action":
      return {
        ...base,
        ...none,
        host: bindSelector(step.host, scope),
        argv: resolve(step.argv, scope),
        stdin: stdinOf(step.stdin),
        idempotent: step.idempotent,
        setsRoles: step.setsRoles === undefined ? [] : resolve(step.setsRoles, scope),
        timeoutMs: step.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS,
        check: null,
      };
    case "wait-until": {
      const progress = step.progress;
      return {
        ...base,
        host: bindSelector(step.host, scope),
        argv: resolve(step.argv, scope),
        stdin: stdinOf(step.stdin),
        idempotent: true,
        timeoutMs: step.timeoutMs,
        setsRoles: [],
        pollMs: step.pollMs,
        probeTimeoutMs: step.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
        confirm: null,
        check: (output) => step.until(output, scope),
        progress: progress ? (output) => progress(output, scope) : null,
      };
    }
    case "confirm":
      return {
        ...base,
        ...none,
        host: null,
        argv: null,
        stdin: null,
        idempotent: true,
        timeoutMs: null,
        confirm: { text: resolve(step.text, scope), destructive: step.destructive },
        check: null,
      };
  }
}
