// A lab cluster's inventory in the shape procedures compile against (what seed-inventory.ts mirrors
// into Keel), for tests that compile plans on the lab's layouts.
import type { PlanContext } from "../../lib/runs/plan";
import { demoEstate, type EstateDefinition } from "./definition";

export function labPlanContext(engine: PlanContext["engine"], estate: EstateDefinition = demoEstate()): PlanContext {
  const cluster = estate.clusters.find((c) => c.engine === engine);
  if (!cluster) throw new Error(`estate ${estate.name} has no ${engine} cluster`);
  return {
    engine,
    version: cluster.version,
    settings: cluster.settings,
    nodes: cluster.nodes.map((n) => {
      const host = estate.hosts.find((h) => h.name === n.host);
      return { name: n.name, type: n.type, role: n.role, group: n.group ?? null, hostName: n.host, hostAddress: host?.address ?? "" };
    }),
  };
}
