// What every simulated tool knows about where it runs, read once from the environment.
import { z } from "zod";
import type { ClusterState, Coordinator, DataNode } from "./state";
import { transact } from "./store";
import { FLUSH_DURATION_MS } from "./gcware-model";

const envSchema = z.object({
  KEEL_LAB_STATE: z.string({ error: "is not set (the simulated cluster's state directory)" }).min(1, "is empty"),
  KEEL_LAB_HOST: z.string({ error: "is not set (this node's IP address)" }).min(1, "is empty"),
  GCWARE_BASE: z.string().min(1).optional(),
  KEEL_LAB_TIME_SCALE: z.coerce.number().nonnegative().default(1),
});

export type ToolContext = {
  stateDir: string;
  host: string;
  gcwareBase: string | undefined;
  timeScale: number;
  now: () => number;
};

export type ToolResult = { code: number; stdout: string; stderr: string };

export function contextFromEnv(env: NodeJS.ProcessEnv, now: () => number = Date.now): { ok: true; context: ToolContext } | { ok: false; message: string } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ") };
  const e = parsed.data;
  return { ok: true, context: { stateDir: e.KEEL_LAB_STATE, host: e.KEEL_LAB_HOST, gcwareBase: e.GCWARE_BASE, timeScale: e.KEEL_LAB_TIME_SCALE, now } };
}

export const flushDurationMs = (ctx: ToolContext): number => FLUSH_DURATION_MS * ctx.timeScale;

export type HostRoles = { coordinator: Coordinator | undefined; dataNode: DataNode | undefined };

export function rolesOf(state: ClusterState, host: string): HostRoles {
  return {
    coordinator: state.coordinators.find((c) => c.ip === host),
    dataNode: state.dataNodes.find((d) => d.ip === host),
  };
}

/**
 * Runs `change` against the state as seen from this host. A host's own GCWARE_BASE is the truth for
 * where its gcware keeps data, so it replaces the recorded one.
 */
export function onHost<T>(ctx: ToolContext, change: (state: ClusterState, roles: HostRoles) => T): T {
  return transact(ctx.stateDir, { nowMs: ctx.now() }, (state) => {
    const roles = rolesOf(state, ctx.host);
    const node = roles.coordinator ? state.gcware[roles.coordinator.name] : undefined;
    if (node && ctx.gcwareBase && node.base !== ctx.gcwareBase) node.base = ctx.gcwareBase;
    return change(state, roles);
  });
}

export const misconfigured = (tool: string, message: string): ToolResult => ({ code: 70, stdout: "", stderr: `${tool}: lab misconfigured: ${message}\n` });
