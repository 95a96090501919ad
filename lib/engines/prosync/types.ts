import { z } from "zod";
export { parseError, type ParseError, type ParseResult, type ParseWarning } from "../tibero/types";

// ---------------------------------------------------------------------------------------------
// cfg files: prs_install_agent.cfg, prs_agent_<id>.cfg, prs_install.cfg
// ---------------------------------------------------------------------------------------------

export const CfgEntrySchema = z.object({
  key: z.string().min(1),
  /** `AGENT_ID_1` → base `AGENT_ID`, index 1; keys without a numeric suffix have base = key. */
  base: z.string().min(1),
  index: z.number().int().nonnegative().optional(),
  value: z.string(),
  comment: z.string().optional(),
  lineNumber: z.number().int().positive(),
});
export type CfgEntry = z.infer<typeof CfgEntrySchema>;

export const CfgFileSchema = z.object({ entries: z.array(CfgEntrySchema) });
export type CfgFile = z.infer<typeof CfgFileSchema>;

/** A rule a cfg file breaks, located so a validator can name file and line. */
export const CfgProblemSchema = z.object({ message: z.string(), lineNumber: z.number().int().nonnegative() });
export type CfgProblem = z.infer<typeof CfgProblemSchema>;

export const InstallAgentSchema = z.object({
  index: z.number().int().nonnegative(),
  id: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().positive(),
  cmGroup: z.string().optional(),
  cmId: z.number().int().nonnegative().optional(),
});
export type InstallAgent = z.infer<typeof InstallAgentSchema>;

export const AgentCfgSchema = z.object({
  listenerPort: z.number().int().positive().optional(),
  logDir: z.string().optional(),
  useCm: z.boolean(),
  procMaxFailCnt: z.number().int().nonnegative(),
  procStartupTimeout: z.number().int().nonnegative().optional(),
  procStatusReplyTimeout: z.number().int().nonnegative().optional(),
  procStatusInterval: z.number().int().nonnegative().optional(),
  cmProbeTimeout: z.number().int().nonnegative(),
});
export type AgentCfg = z.infer<typeof AgentCfgSchema>;

export const InstallCfgSchema = z.object({
  instanceId: z.string(),
  prsUser: z.string(),
  delimiter: z.string(),
  ext: z.array(z.array(z.string())),
  apply: z.object({ port: z.number().int().optional(), agents: z.array(z.string()) }),
  llob: z.object({ port: z.number().int().optional(), agents: z.array(z.string()) }),
  srcDbType: z.string().optional(),
  srcDbName: z.string().optional(),
  srcDbCnt: z.number().int().optional(),
  srcAliases: z.array(z.string()),
  tarDbType: z.string().optional(),
  tarDbName: z.string().optional(),
  tarDbCnt: z.number().int().optional(),
});
export type InstallCfg = z.infer<typeof InstallCfgSchema>;

// ---------------------------------------------------------------------------------------------
// prs_adm status
// ---------------------------------------------------------------------------------------------

/** What follows `is` on a status line; anything else is kept raw and flagged. */
export const KNOWN_RUN_STATES = ["running", "not running"] as const;

export const AgentStatusSchema = z.object({
  id: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().nonnegative(),
  cmGroup: z.string().optional(),
  cmId: z.number().int().nonnegative().optional(),
  state: z.string().min(1),
  /** Fields the seed's line does not have, in order, as KEY → value. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const ProcessStatusSchema = z.object({
  name: z.string().min(1),
  /** The number in parentheses after the name (`prosync_ext1 (1)`); apply processes print none. */
  index: z.number().int().nonnegative().optional(),
  state: z.string().min(1),
  agent: z.object({ id: z.string().min(1), host: z.string().min(1), port: z.number().int().nonnegative() }).optional(),
});
export type ProcessStatus = z.infer<typeof ProcessStatusSchema>;

export const InstanceStatusSchema = z.object({
  instanceId: z.string().min(1),
  processes: z.array(ProcessStatusSchema),
});
export type InstanceStatus = z.infer<typeof InstanceStatusSchema>;

export const PrsStatusSchema = z.object({
  agents: z.array(AgentStatusSchema),
  instances: z.array(InstanceStatusSchema),
});
export type PrsStatus = z.infer<typeof PrsStatusSchema>;
