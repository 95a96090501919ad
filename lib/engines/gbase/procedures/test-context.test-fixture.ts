// Inventories the GBase procedure tests compile against: the lab's gbase-lab (lab/estate/definition.ts,
// three hosts each with a coordinator + gcware and a data node) and the seed's own cluster.
import { labPlanContext } from "../../../../lab/estate/plan-context";
import type { PlanContext } from "../../../runs/plan";

export const labCluster: PlanContext = labPlanContext("GBASE");

/** Seed 002's cluster: coordinator1-3 and node1-3 on 10.0.2.102/202/203, V952. */
export const seedCluster: PlanContext = {
  engine: "GBASE",
  version: "V952",
  settings: { GCWARE_BASE: "/opt/gcware" },
  nodes: [
    ["coordinator1", "coordinator", "gbase_rh7_001", "10.0.2.102"],
    ["coordinator2", "coordinator", "gbase_rh7_002", "10.0.2.202"],
    ["coordinator3", "coordinator", "gbase_rh7_003", "10.0.2.203"],
    ["node1", "data", "gbase_rh7_001", "10.0.2.102"],
    ["node2", "data", "gbase_rh7_002", "10.0.2.202"],
    ["node3", "data", "gbase_rh7_003", "10.0.2.203"],
  ].map(([name, type, hostName, hostAddress]) => ({ name: name ?? "", type: type ?? "", role: "", group: null, hostName: hostName ?? "", hostAddress: hostAddress ?? "" })),
};
