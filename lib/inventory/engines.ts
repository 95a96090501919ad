import { z } from "zod";
import { absolutePath, hostPort } from "./fields";

export const ENGINES = ["MACHBASE", "GBASE", "TIBERO", "PROSYNC", "POSTGRESQL"] as const;
export const engineSchema = z.enum(ENGINES, { error: "choose one of Machbase, GBase, Tibero, ProSync, PostgreSQL" });
export type EngineName = z.infer<typeof engineSchema>;

type EngineSpec = {
  label: string;
  /** Example versions shown in the form. */
  versionHint: string;
  version: z.ZodType<string>;
  settings: z.ZodObject;
  /** Node types as the seed names them, with the roles each may hold. */
  nodeTypes: Record<string, readonly string[]>;
  /** Types whose nodes must belong to a group. */
  groupedTypes: readonly string[];
  nodeName: z.ZodType<string>;
  nodeNameHint: string;
};

const plainNodeName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, "letters, digits, '.', '_', ':' and '-' (no spaces)");

const dotted = (hint: string) => z.string().trim().regex(/^[0-9]+(\.[0-9]+){0,3}$/, `a version such as ${hint}`);

export const ENGINE_SPECS: Record<EngineName, EngineSpec> = {
  MACHBASE: {
    label: "Machbase Cluster Edition",
    versionHint: "6.5",
    version: dotted("6.5"),
    settings: z.object({
      MACH_COORDINATOR_HOME: absolutePath,
      MACH_DEPLOYER_HOME: absolutePath.optional(),
    }),
    nodeTypes: {
      coordinator: ["primary", "normal"],
      deployer: ["normal"],
      broker: ["leader", "normal"],
      warehouse: ["normal"],
    },
    groupedTypes: ["warehouse"],
    nodeName: hostPort,
    nodeNameHint: "host:port, e.g. 192.168.0.10:5101",
  },
  GBASE: {
    label: "GBase 8a (gcware)",
    versionHint: "V952 or V953",
    version: z.string().trim().regex(/^V95[0-9]$/, "V952 or V953 (the gcware start command depends on it)"),
    settings: z.object({ GCWARE_BASE: absolutePath, GCLUSTER_BASE: absolutePath.optional() }),
    nodeTypes: { coordinator: [""], data: [""] },
    groupedTypes: [],
    nodeName: plainNodeName,
    nodeNameHint: "the node name gcadmin prints, e.g. node1",
  },
  TIBERO: {
    label: "Tibero Active Cluster",
    versionHint: "7",
    version: dotted("7"),
    settings: z.object({ TB_HOME: absolutePath, TB_SID: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,29}$/, "a SID such as tac1") }),
    nodeTypes: { instance: [""], cm: [""] },
    groupedTypes: [],
    nodeName: plainNodeName,
    nodeNameHint: "the instance SID or CM name, e.g. tac1",
  },
  PROSYNC: {
    label: "ProSync on Tibero CM",
    versionHint: "4",
    version: dotted("4"),
    settings: z.object({
      PRS_HOME: absolutePath,
      TB_HOME: absolutePath,
      TB_SID: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,29}$/, "a SID such as tac1"),
    }),
    nodeTypes: { agent: [""], cm: [""] },
    groupedTypes: [],
    nodeName: plainNodeName,
    nodeNameHint: "the agent or CM name, e.g. prs_agent_1",
  },
  POSTGRESQL: {
    label: "PostgreSQL streaming replication",
    versionHint: "9.6, 11 or 15",
    version: z.string().trim().regex(/^(9\.[4-6]|1[0-9])$/, "a major version such as 9.6, 11 or 15"),
    settings: z.object({
      PGDATA: absolutePath,
      PGBIN: absolutePath.optional(),
      /** A file in PGDATA with the host's own settings (lab: keel-host.conf), rewritten after a clone or rewind. */
      HOST_CONF: z.string().trim().regex(/^[A-Za-z0-9._-]+\.conf$/, "a file name such as keel-host.conf").optional(),
      PGPORT: z.coerce.number().int().min(1).max(65535).default(5432),
    }),
    nodeTypes: { server: ["primary", "standby"] },
    groupedTypes: [],
    nodeName: hostPort,
    nodeNameHint: "host:port of the server, e.g. 10.0.0.5:5432",
  },
};

export function nodeTypesOf(engine: EngineName): string[] {
  return Object.keys(ENGINE_SPECS[engine].nodeTypes);
}
