// A small rolling restart used by the tests: precheck, per node shutdown → startup → wait, verify.
import { z } from "zod";

import { defineProcedure, parsed, type ProbeOutput } from "./model";
import type { PlanContext } from "./plan";

export const inventory: PlanContext = {
  engine: "MACHBASE",
  version: "8.0.2",
  settings: { MACH_COORDINATOR_HOME: "/opt/mach/coordinator" },
  nodes: [
    { name: "10.0.0.1:5101", type: "coordinator", role: "primary", group: null, hostName: "coord-1", hostAddress: "10.0.0.1" },
    { name: "10.0.0.2:5301", type: "warehouse", role: "normal", group: "group1", hostName: "wh-a", hostAddress: "10.0.0.2" },
    { name: "10.0.0.3:5301", type: "warehouse", role: "normal", group: "group2", hostName: "wh-b", hostAddress: "10.0.0.3" },
  ],
};

const statusLines = (output: ProbeOutput) =>
  output.exitCode === 0 ? { ok: true as const, value: output.stdout.split("\n") } : { ok: false as const, reason: `status probe exited ${output.exitCode}` };

export const rollingRestart = defineProcedure({
  id: "test.rolling-restart",
  engine: "MACHBASE",
  title: "Rolling restart",
  description: "Restarts the chosen warehouses one at a time.",
  parameters: z.object({
    nodes: z.array(z.string().regex(/^[^:\s]+:\d+$/, "host:port")).min(1).meta({ label: "Nodes", help: "Restarted in this order" }),
    reason: z.string().min(3, "say why, at least 3 characters").describe("Why the restart is needed"),
    waitSeconds: z.number().int().positive().default(120),
  }),
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    {
      kind: "precheck",
      id: "cluster-healthy",
      title: "Cluster is healthy",
      host: { where: { type: "coordinator", role: "primary" } },
      argv: ["machcoordinatoradmin", "--cluster-status-full"],
      assert: parsed(statusLines, (lines) => (lines.some((l) => l.includes("scrapped")) ? { ok: false, reason: "a node is scrapped" } : { ok: true })),
    },
    forEach({
      id: "per-node",
      title: "Restart node",
      items: ({ params }) => params.nodes,
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "shutdown",
          title: ({ item }) => `Shut down ${item}`,
          host: { where: { type: "coordinator" } },
          argv: ({ item }) => ["machcoordinatoradmin", `--shutdown-node=${item}`],
          idempotent: true,
          onFailure: ({ item }) => `Check ${item} with --cluster-status-full; start it again with --startup-node=${item}.`,
        },
        {
          kind: "action",
          id: "startup",
          title: ({ item }) => `Start ${item}`,
          host: { where: { type: "coordinator" } },
          argv: ({ item }) => ({ ok: true, argv: ["machcoordinatoradmin", `--startup-node=${item}`] }),
          idempotent: false,
          onFailure: "Leave the cluster as it is; the remaining nodes were not touched.",
        },
        {
          kind: "wait-until",
          id: "back-normal",
          title: ({ item }) => `Wait until ${item} is normal`,
          host: { where: { type: "coordinator" }, pick: "first" },
          argv: ["machcoordinatoradmin", "--cluster-status-full"],
          until: (output, { item }) => (output.stdout.includes(`${item} normal`) ? { ok: true } : { ok: false, reason: `${item} not normal yet` }),
          progress: (output) => output.stdout.split("\n")[0] ?? "",
          timeoutMs: 120_000,
          pollMs: 2_000,
        },
      ],
    }),
    {
      kind: "verify",
      id: "cluster-healthy-after",
      title: ({ params }) => `Cluster healthy after restarting ${params.nodes.length} node(s)`,
      host: { host: "coord-1" },
      argv: ["machcoordinatoradmin", "--cluster-status-full"],
      assert: parsed(statusLines, () => ({ ok: true })),
    },
  ],
});
