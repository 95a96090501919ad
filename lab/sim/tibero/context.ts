import { z } from "zod";
import { findNode, type NodeRef } from "./topology";
import type { State } from "./state";

/** One invocation of a simulated tool: what a bin wrapper or a test hands to a tool's `main`. */
export type ToolContext = {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: string;
  /** Directory relative paths (tbsql @file, install scripts) resolve against. */
  cwd: string;
  /** Wall clock in epoch ms; injected so tests can reason about time. */
  now: number;
};

export type ToolResult = { code: number; stdout: string; stderr: string };

export const ok = (stdout: string): ToolResult => ({ code: 0, stdout, stderr: "" });
export const fail = (stderr: string, code = 1, stdout = ""): ToolResult => ({ code, stdout, stderr });

const LabEnvSchema = z.object({
  KEEL_LAB_STATE: z.string().min(1, "KEEL_LAB_STATE must name the simulated cluster's state directory"),
  KEEL_LAB_HOST: z.string().optional(),
  KEEL_LAB_TIME_SCALE: z.coerce.number().positive().optional(),
  TB_HOME: z.string().optional(),
  TB_SID: z.string().optional(),
  CM_SID: z.string().optional(),
  PRS_HOME: z.string().optional(),
});

export type LabEnv = {
  stateDir: string;
  host: string | undefined;
  timeScale: number;
  tbHome: string | undefined;
  tbSid: string | undefined;
  cmSid: string | undefined;
  prsHome: string | undefined;
};

export function labEnv(env: ToolContext["env"]): LabEnv | string {
  const parsed = LabEnvSchema.safeParse(env);
  if (!parsed.success) return `lab: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ")}`;
  const e = parsed.data;
  return {
    stateDir: e.KEEL_LAB_STATE,
    host: e.KEEL_LAB_HOST || undefined,
    timeScale: e.KEEL_LAB_TIME_SCALE ?? 1,
    tbHome: e.TB_HOME || undefined,
    tbSid: e.TB_SID || undefined,
    cmSid: e.CM_SID || undefined,
    prsHome: e.PRS_HOME || undefined,
  };
}

// Base durations at time scale 1 ("a few seconds"); KEEL_LAB_TIME_SCALE multiplies them.
export const BASE_MS = {
  /** CM running an agent script's START until the agent reports UP (and between retries). */
  agentStart: 2_000,
  /** CM noticing a lost agent and ProSync moving its processes to the next agent. */
  failoverDetect: 3_000,
} as const;

export function scaled(env: LabEnv, base: keyof typeof BASE_MS): number {
  return BASE_MS[base] * env.timeScale;
}

/** The node this command runs on: $KEEL_LAB_HOST (name or address), else the node whose SID is $TB_SID. */
export function localNode(state: State, env: LabEnv): NodeRef | ToolResult {
  const ref = env.host ?? env.tbSid;
  if (!ref) return fail("lab: set KEEL_LAB_HOST (or TB_SID) to say which simulated node this command runs on\n", 2);
  const found = findNode(state.topology, ref);
  if (!found) return fail(`lab: no node '${ref}' in the topology of ${env.stateDir}\n`, 2);
  const ns = state.nodes[found.node.name];
  // A downed host runs nothing; 255 is what ssh reports when it cannot reach it.
  if (ns?.hostDown) return fail(`lab: host ${found.node.name} (${found.node.host}) is down\n`, 255);
  return found;
}

export function isToolResult(x: NodeRef | ToolResult): x is ToolResult {
  return "code" in x;
}
