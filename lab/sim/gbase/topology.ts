// The initial shape of a simulated GBase cluster: `$KEEL_LAB_STATE/topology.json` when present,
// otherwise the seed's cluster (three coordinators and three data nodes on 10.0.2.x, V952).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { gbaseVersionSchema } from "../../../lib/engines/gbase/types";

export { gbaseVersionSchema };
export type { GbaseVersion } from "../../../lib/engines/gbase/types";

const ipSchema = z.string().min(1).regex(/^[0-9A-Za-z.:-]+$/);
const nameSchema = z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/);

export const topologySchema = z
  .object({
    version: gbaseVersionSchema.default("V952"),
    virtualClusterMode: z.string().min(1).default("NORMAL"),
    /** Whether every service is running when the state is first created (a live cluster) or stopped. */
    initialServices: z.enum(["open", "closed"]).default("open"),
    /** The newest snapshot every gcware node holds at creation; an older one (term-1) is kept too. */
    initialSnapshot: z.object({ term: z.number().int().min(1), index: z.number().int().min(1) }).default({ term: 142, index: 37975 }),
    coordinators: z
      .array(
        z.object({
          name: nameSchema,
          ip: ipSchema,
          /** $GCWARE_BASE on that host; default `<stateDir>/gcware_base/<name>`. */
          gcwareBase: z.string().min(1).optional(),
        }),
      )
      .min(1),
    dataNodes: z.array(z.object({ name: nameSchema, ip: ipSchema, distributionId: z.number().int().nonnegative().default(1) })),
  })
  .superRefine((t, ctx) => {
    const names = [...t.coordinators, ...t.dataNodes].map((n) => n.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", message: "node names must be unique" });
    const coordIps = t.coordinators.map((c) => c.ip);
    if (new Set(coordIps).size !== coordIps.length) ctx.addIssue({ code: "custom", message: "one coordinator per address" });
    const dataIps = t.dataNodes.map((d) => d.ip);
    if (new Set(dataIps).size !== dataIps.length) ctx.addIssue({ code: "custom", message: "one data node per address" });
  });
export type Topology = z.infer<typeof topologySchema>;

export const SEED_TOPOLOGY: Topology = topologySchema.parse({
  version: "V952",
  coordinators: [
    { name: "coordinator1", ip: "10.0.2.102" },
    { name: "coordinator2", ip: "10.0.2.202" },
    { name: "coordinator3", ip: "10.0.2.203" },
  ],
  dataNodes: [
    { name: "node1", ip: "10.0.2.102", distributionId: 6 },
    { name: "node2", ip: "10.0.2.202", distributionId: 6 },
    { name: "node3", ip: "10.0.2.203", distributionId: 6 },
  ],
});

export function loadTopology(stateDir: string): Topology {
  const file = path.join(stateDir, "topology.json");
  if (!existsSync(file)) return SEED_TOPOLOGY;
  const parsed = topologySchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
