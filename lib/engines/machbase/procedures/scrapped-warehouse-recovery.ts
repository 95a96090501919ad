// Seed "Scrapped node 를 Snapshot 기반으로 복구": group readonly → (restart the dead warehouse) →
// snapshot-recover → exec-sync → wait through sync-standby/sync-active until normal with RP stopped →
// group normal. Refused unless the node is scrapped and a healthy warehouse of its group remains.
import { z } from "zod";

import { defineProcedure, parsed, type ArgvBuild, type InventoryNode, type ProbeOutput } from "../../../runs/model";
import { clusterStatusArgv, execSyncArgv, NodeNameSchema, setGroupStateArgv, snapshotRecoverArgv, startupNodeArgv } from "../commands";
import { clusterHealthy, groupHasHealthyPeer, groupNormal, nodeScrapped, scrappedNodeRestarted, syncFinished } from "../prechecks";
import { groupStateText, nodeStateText, rpStateText } from "../render";
import { clusterNode, onPrimaryCoordinator, statusTable, STATUS_POLL_MS } from "./shared";

export const RESTART_TIMEOUT_MS = 5 * 60_000;
export const SYNC_TIMEOUT_MS = 60 * 60_000;

export const recoveryParameters = z.object({
  node: NodeNameSchema.meta({ label: "Scrapped warehouse", help: "host:port of the warehouse shown as scrapped", input: "node" }),
  restartNode: z.boolean().default(true).meta({
    label: "Start the warehouse first",
    help: "Set when the table shows it **unknown** (its process is down); clear when it already shows scrapped/scrapped",
  }),
});

type Params = z.output<typeof recoveryParameters>;

/** The node's group from the inventory, with the argv built only for a warehouse of this cluster. */
function forWarehouse({ params, nodes }: { params: Params; nodes: readonly InventoryNode[] }, build: (group: string) => ArgvBuild): ArgvBuild {
  const guard = clusterNode(nodes, "node", params.node, ["warehouse"]);
  if (!guard.ok) return guard;
  return build(guard.node.group ?? "");
}

function groupOfParam({ params, nodes }: { params: Params; nodes: readonly InventoryNode[] }): string {
  return nodes.find((n) => n.name === params.node)?.group ?? "its group";
}

/** One line while exec-sync replicates: "localhost:30410: sync-standby/sync-active, RP running, group1 readonly". */
export function syncProgress(output: ProbeOutput, node: string): string {
  const table = statusTable(output);
  if (!table.ok) return table.reason;
  const row = table.value.rows.find((r) => r.nodeName === node);
  if (!row) return `${node} is not in the status table`;
  return `${node}: ${nodeStateText(row.desiredState)}/${nodeStateText(row.actualState)}, RP ${rpStateText(row.rpState)}, ${row.groupName} ${groupStateText(row.groupState)}`;
}

const STATUS = clusterStatusArgv();

export const scrappedWarehouseRecovery = defineProcedure({
  id: "machbase.scrapped-warehouse-recovery",
  engine: "MACHBASE",
  title: "Scrapped warehouse recovery",
  description: "Recovers a scrapped warehouse from its last snapshot and replicates newer data from a healthy warehouse of its group.",
  parameters: recoveryParameters,
  mutating: true,
  approval: "second-dba",
  steps: ({ forEach }) => [
    {
      kind: "precheck",
      id: "node-scrapped",
      title: ({ params }) => `${params.node} is a scrapped warehouse`,
      host: onPrimaryCoordinator(),
      argv: (scope) => forWarehouse(scope, () => STATUS),
      assert: parsed(statusTable, (table, { params }) => nodeScrapped(table, params.node)),
    },
    {
      kind: "precheck",
      id: "healthy-peer",
      title: (scope) => `Another warehouse of ${groupOfParam(scope)} serves`,
      host: onPrimaryCoordinator(),
      argv: STATUS,
      assert: parsed(statusTable, (table, { params }) => groupHasHealthyPeer(table, params.node)),
    },
    {
      kind: "confirm",
      id: "approve",
      title: ({ params }) => `Approve recovering ${params.node}`,
      text: (scope) =>
        `${scope.params.node}'s data after its last snapshot is cleared and replicated again from a healthy warehouse of ${groupOfParam(scope)}; ` +
        `${groupOfParam(scope)} stays readonly (no INSERT/APPEND) until the sync finishes.`,
      destructive: true,
    },
    {
      kind: "action",
      id: "set-readonly",
      title: (scope) => `Set ${groupOfParam(scope)} readonly`,
      host: onPrimaryCoordinator(),
      argv: (scope) => forWarehouse(scope, (group) => setGroupStateArgv({ state: "readonly", group })),
      idempotent: true,
      onFailure: "Nothing was changed; the group is as the table shows. Retry, or stop here.",
    },
    forEach<string>({
      id: "restart",
      title: "Start the dead warehouse",
      items: ({ params }) => (params.restartNode ? [params.node] : []),
      label: (node) => node,
      steps: [
        {
          kind: "action",
          id: "startup-node",
          title: ({ item }) => `Start ${item}`,
          host: onPrimaryCoordinator(),
          argv: ({ item }) => startupNodeArgv({ node: item }),
          idempotent: false,
          onFailure: (scope) =>
            `${scope.item} did not start; its group stays readonly. Check the warehouse's host and trace log, then retry, ` +
            `or return the group with machcoordinatoradmin --set-group-state=normal --group=${groupOfParam(scope)}.`,
        },
      ],
    }),
    {
      kind: "wait-until",
      id: "restarted-scrapped",
      title: ({ params }) => `Wait until ${params.node} runs as scrapped/scrapped`,
      host: onPrimaryCoordinator(),
      argv: STATUS,
      until: parsed(statusTable, (table, { params }) => scrappedNodeRestarted(table, params.node)),
      progress: (output, { params }) => syncProgress(output, params.node),
      timeoutMs: RESTART_TIMEOUT_MS,
      pollMs: STATUS_POLL_MS,
      onFailure: ({ params }) => `${params.node} is not running; its group stays readonly. Start it (--startup-node=${params.node}) and run the recovery again.`,
    },
    {
      kind: "action",
      id: "snapshot-recover",
      title: ({ params }) => `Recover ${params.node} from its snapshot`,
      host: onPrimaryCoordinator(),
      argv: ({ params }) => snapshotRecoverArgv({ node: params.node }),
      idempotent: false,
      onFailure: ({ params }) => `${params.node} is still scrapped and its group readonly. Read the tool's error; retry --snapshot-recover=${params.node} once the cause is fixed.`,
    },
    {
      kind: "action",
      id: "exec-sync",
      title: ({ params }) => `Replicate newer data to ${params.node}`,
      host: onPrimaryCoordinator(),
      argv: ({ params }) => execSyncArgv({ node: params.node }),
      idempotent: false,
      onFailure: ({ params }) => `${params.node} is recovered to its snapshot but not synced; its group stays readonly. Retry --exec-sync=${params.node}.`,
    },
    {
      kind: "wait-until",
      id: "sync-finished",
      title: ({ params }) => `Wait until ${params.node} is normal with RP stopped`,
      host: onPrimaryCoordinator(),
      argv: STATUS,
      until: parsed(statusTable, (table, { params }) => syncFinished([table], params.node)),
      progress: (output, { params }) => syncProgress(output, params.node),
      timeoutMs: SYNC_TIMEOUT_MS,
      pollMs: STATUS_POLL_MS,
      onFailure: ({ params }) => `The sync of ${params.node} did not finish; its group stays readonly. Watch the RP state; if it stopped with the node not normal, run --exec-sync=${params.node} again.`,
    },
    {
      kind: "action",
      id: "set-normal",
      title: (scope) => `Set ${groupOfParam(scope)} normal`,
      host: onPrimaryCoordinator(),
      argv: (scope) => forWarehouse(scope, (group) => setGroupStateArgv({ state: "normal", group })),
      idempotent: true,
      onFailure: (scope) => `${scope.params.node} is synced but ${groupOfParam(scope)} is still readonly; retry this step.`,
    },
    {
      kind: "verify",
      id: "group-normal",
      title: (scope) => `${groupOfParam(scope)} is normal and every node serves`,
      host: onPrimaryCoordinator(),
      argv: STATUS,
      assert: parsed(statusTable, (table, scope) => {
        const group = groupNormal(table, groupOfParam(scope));
        return group.ok ? clusterHealthy(table) : group;
      }),
    },
  ],
});
