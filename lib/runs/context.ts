// The cluster's inventory as the plan compiler and the executor see it: nodes on hosts, settings,
// the facts of each host a procedure may depend on, and host ids by name.
import { db } from "@/lib/db";
import { probeTargetOf } from "@/lib/status/sample-cluster";
import type { HostFacts, JsonValue, Procedure } from "./model";
import type { PlanContext } from "./plan";

export type RunContext = {
  clusterId: string;
  clusterName: string;
  context: PlanContext;
  hostIds: ReadonlyMap<string, string>;
  hostFacts: ReadonlyMap<string, HostFacts>;
};

export async function loadRunContext(clusterId: string): Promise<RunContext | null> {
  const loaded = await probeTargetOf(clusterId);
  if (!loaded) return null;
  const hosts = await db.host.findMany({
    where: { id: { in: [...loaded.hostIds.values()] } },
    select: { name: true, runsMwaOrCollector: true, hostKeyFingerprint: true },
  });
  return {
    clusterId,
    clusterName: loaded.name,
    context: loaded.target,
    hostIds: loaded.hostIds,
    hostFacts: new Map(hosts.map((h) => [h.name, { runsMwaOrCollector: h.runsMwaOrCollector, hostKeyFingerprint: h.hostKeyFingerprint }])),
  };
}

/** The parameters a procedure takes from the inventory (they override the form's values). */
export function inventoryParams(procedure: Procedure, run: RunContext): Record<string, JsonValue> {
  const { version, settings, nodes } = run.context;
  return procedure.fromInventory?.({ version, settings, nodes, hosts: run.hostFacts }) ?? {};
}
