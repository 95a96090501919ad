import { z } from "zod";

/** What a prober concluded about a whole cluster. */
export const healthSchema = z.enum(["healthy", "degraded", "down", "unknown"]);
export type Health = z.infer<typeof healthSchema>;

/** One node as observed, in the shape every engine's cluster table renders. */
export const observedNodeSchema = z.object({
  /** The engine's own name (Machbase host:port, gcadmin NodeName, CM resource name, PostgreSQL host:port). */
  name: z.string(),
  type: z.string(),
  group: z.string().nullable(),
  groupState: z.string().nullable(),
  desired: z.string().nullable(),
  actual: z.string().nullable(),
  rpState: z.string().nullable(),
  /** True when what the node is differs from what it should be (desired ≠ actual, DOWN, CLOSE, lagging …). */
  mismatch: z.boolean(),
  /** Engine-specific columns (gcware/gcluster OPEN|CLOSE, timeline, lag bytes …). */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** Parser warnings and unknown values, kept and shown rather than dropped. */
  flags: z.array(z.string()),
});
export type ObservedNode = z.infer<typeof observedNodeSchema>;

export const clusterObservationSchema = z.object({
  health: healthSchema,
  /** One sentence a team lead can act on: "warehouse 192.168.0.3:5301 scrapped; group2 readonly". */
  reason: z.string(),
  nodes: z.array(observedNodeSchema),
  /** Engine panels (gcware snapshot versions, CM resources per node, PostgreSQL roles/timelines/lag). */
  panels: z.record(z.string(), z.unknown()),
  /** Problems reaching or parsing a host, by host name, each a plain sentence. */
  errors: z.array(z.object({ host: z.string(), message: z.string() })),
});
export type ClusterObservation = z.infer<typeof clusterObservationSchema>;

/** The result of running one argv on one host, as a prober sees it (transport errors already named). */
export type RemoteOutcome =
  | { ok: true; exitCode: number; stdout: string; stderr: string }
  | { ok: false; message: string; exitCode: number | null; stdout: string; stderr: string };

/** Runs argv on a named host of the cluster. Keel's implementation goes over SSH and audits; tests may run locally. */
export type RemoteRunner = (hostName: string, argv: string[], opts?: { stdin?: string; timeoutMs?: number }) => Promise<RemoteOutcome>;

/** The inventory a prober needs: engine settings and which node lives on which host. */
export type ProbeTarget = {
  engine: "MACHBASE" | "GBASE" | "TIBERO" | "PROSYNC" | "POSTGRESQL";
  version: string;
  settings: Record<string, string | number>;
  nodes: { name: string; type: string; role: string; group: string | null; hostName: string; hostAddress: string }[];
};

export type Prober = (target: ProbeTarget, run: RemoteRunner) => Promise<ClusterObservation>;
