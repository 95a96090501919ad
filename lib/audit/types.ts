import { z } from "zod";

/** What a caller records; actor, time and chain fields are filled in by appendAudit. */
export const auditInputSchema = z.object({
  action: z.string().min(1).max(100),
  outcome: z.enum(["ok", "denied", "failed"]).default("ok"),
  clusterId: z.string().nullish(),
  clusterName: z.string().default(""),
  hostId: z.string().nullish(),
  hostName: z.string().default(""),
  nodeId: z.string().nullish(),
  nodeName: z.string().default(""),
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type AuditInput = z.input<typeof auditInputSchema>;

export type AuditActor = { id: string | null; email: string; role: string };

export const SYSTEM_ACTOR: AuditActor = { id: null, email: "system", role: "SYSTEM" };

/** The fields a row's hash covers, in the shape they are read back from the database. */
export type HashedFields = {
  at: string;
  actorId: string | null;
  actorEmail: string;
  actorRole: string;
  action: string;
  outcome: string;
  clusterId: string | null;
  clusterName: string;
  hostId: string | null;
  hostName: string;
  nodeId: string | null;
  nodeName: string;
  payload: unknown;
};

export const GENESIS_HASH = "0".repeat(64);
