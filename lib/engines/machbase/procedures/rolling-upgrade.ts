// Seed "Broker/Warehouse 업그레이드", node by node: shutdown-node → upgrade-node → startup-node, then wait
// until the node serves again before touching the next. Warehouses group by group, brokers with the
// leader last (rollingOrder); the first failure stops the rollout where it is.
import { z } from "zod";

import { defineProcedure, parsed, type InventoryNode } from "../../../runs/model";
import { clusterStatusArgv, listPackagesArgv, NodeNameSchema, PackageNameSchema, shutdownNodeArgv, startupNodeArgv, upgradeNodeArgv } from "../commands";
import { packageRegistered, registeredPackages } from "../packages";
import { clusterHealthy, nodeBackInRole, rollingOrder, safeToStop } from "../prechecks";
import { adminOutput, clusterNode, guarded, inventoryTable, onPrimaryCoordinator, statusTable, STATUS_POLL_MS, type NodeGuard } from "./shared";

export const NODE_BACK_TIMEOUT_MS = 10 * 60_000;

export const rollingUpgradeParameters = z.object({
  packageName: PackageNameSchema.meta({ label: "Package name", help: "A package registered with the coordinator" }),
  nodes: z
    .array(NodeNameSchema)
    .min(1, "choose at least one node, or leave empty for all")
    .refine((nodes) => new Set(nodes).size === nodes.length, "a node is chosen twice")
    .optional()
    .meta({ label: "Nodes", help: "Default: every broker and warehouse. Upgraded warehouses group by group, then brokers with the leader last" }),
});

type Params = z.output<typeof rollingUpgradeParameters>;

/** Every chosen node is a broker or warehouse of this cluster; the first that is not, by its index. */
function selectionGuard(params: Params, nodes: readonly InventoryNode[]): NodeGuard | { ok: true } {
  for (const [index, name] of (params.nodes ?? []).entries()) {
    const guard = clusterNode(nodes, `nodes.${index}`, name, ["broker", "warehouse"]);
    if (!guard.ok) return guard;
  }
  return { ok: true };
}

/** The rollout order over the inventory; an invalid selection is reported by the first precheck. */
export function rolloutOrder(params: Params, nodes: readonly InventoryNode[]): string[] {
  const order = rollingOrder(inventoryTable(nodes), params.nodes);
  return order.ok ? order.steps.map((s) => s.node) : [];
}

const STOPPED = "The rollout stopped here; nodes not yet reached were not touched and those before are upgraded.";

export const rollingUpgrade = defineProcedure({
  id: "machbase.rolling-upgrade",
  engine: "MACHBASE",
  title: "Rolling broker/warehouse upgrade",
  description: "Upgrades brokers and warehouses one node at a time with a package registered on the coordinator.",
  parameters: rollingUpgradeParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    {
      kind: "precheck",
      id: "cluster-healthy",
      title: "Every node serves and every group is normal",
      host: onPrimaryCoordinator(),
      argv: ({ params, nodes }) => guarded(selectionGuard(params, nodes), () => clusterStatusArgv()),
      assert: parsed(statusTable, (table) => clusterHealthy(table)),
    },
    {
      kind: "precheck",
      id: "package-registered",
      title: ({ params }) => `Package ${params.packageName} is registered`,
      host: onPrimaryCoordinator(),
      argv: listPackagesArgv(),
      assert: parsed(adminOutput, (output, { params }) => {
        const list = registeredPackages(output);
        return list.ok ? packageRegistered(list.packages, params.packageName) : list;
      }),
    },
    forEach<string>({
      id: "node",
      title: "Upgrade node",
      items: ({ params, nodes }) => rolloutOrder(params, nodes),
      label: (node) => node,
      steps: [
        {
          kind: "precheck",
          id: "peers-serving",
          title: ({ item }) => `${item}'s peers serve while it is stopped`,
          host: onPrimaryCoordinator(),
          argv: clusterStatusArgv(),
          assert: parsed(statusTable, (table, { item }) => safeToStop(table, item)),
        },
        {
          kind: "action",
          id: "shutdown-node",
          title: ({ item }) => `Shut down ${item}`,
          host: onPrimaryCoordinator(),
          argv: ({ item }) => shutdownNodeArgv({ node: item }),
          idempotent: false,
          onFailure: ({ item }) => `${STOPPED} Check ${item} in the status table; if it is still running, find out why it did not stop, then retry this step.`,
        },
        {
          kind: "action",
          id: "upgrade-node",
          title: ({ item, params }) => `Upgrade ${item} to ${params.packageName}`,
          host: onPrimaryCoordinator(),
          argv: ({ item, params }) => upgradeNodeArgv({ node: item, packageName: params.packageName }),
          idempotent: false,
          onFailure: ({ item }) => `${STOPPED} ${item} is stopped and may be half-upgraded: retry the upgrade, or start it on its old version with machcoordinatoradmin --startup-node=${item}.`,
        },
        {
          kind: "action",
          id: "startup-node",
          title: ({ item }) => `Start ${item}`,
          host: onPrimaryCoordinator(),
          argv: ({ item }) => startupNodeArgv({ node: item }),
          idempotent: false,
          onFailure: ({ item }) => `${STOPPED} ${item} is upgraded but stopped: read its trace log, then retry machcoordinatoradmin --startup-node=${item}.`,
        },
        {
          kind: "wait-until",
          id: "back-in-role",
          title: ({ item }) => `Wait until ${item} is back in its role`,
          host: onPrimaryCoordinator(),
          argv: clusterStatusArgv(),
          until: parsed(statusTable, (table, { item }) => nodeBackInRole(table, item)),
          timeoutMs: NODE_BACK_TIMEOUT_MS,
          pollMs: STATUS_POLL_MS,
          onFailure: ({ item }) => `${STOPPED} ${item} did not come back within ${NODE_BACK_TIMEOUT_MS / 60_000} minutes: check its state and trace log before upgrading any other node.`,
        },
      ],
    }),
    {
      kind: "verify",
      id: "cluster-healthy-after",
      title: "Every node serves and every group is normal",
      host: onPrimaryCoordinator(),
      argv: clusterStatusArgv(),
      assert: parsed(statusTable, (table) => clusterHealthy(table)),
    },
  ],
});
