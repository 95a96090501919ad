// Seed "Snapshot 자동 수행 / 수동 수행": show the automatic snapshot interval, optionally set it (0 turns
// automatic snapshots off), and take a manual snapshot of one group or of every group in turn.
import { z } from "zod";

import { defineProcedure, parsed, type InventoryNode } from "../../../runs/model";
import { clusterStatusArgv, configurationArgv, execSnapshotArgv, GroupNameSchema, snapshotIntervalArgv, snapshotIntervalWarning, SnapshotIntervalSchema } from "../commands";
import { snapshotIntervalSec } from "../parse";
import { groupSnapshotReady, warehouseGroups } from "../prechecks";
import { SNAPSHOT_INTERVAL_KEY } from "../types";
import { adminOutput, guarded, inventoryTable, onPrimaryCoordinator, statusTable } from "./shared";

export const snapshotSettingsParameters = z
  .object({
    intervalSeconds: SnapshotIntervalSchema.optional().meta({
      label: "New snapshot interval (seconds)",
      help: "Leave empty to keep the current one; 0 disables automatic snapshots",
    }),
    snapshot: z.enum(["none", "one-group", "every-group"]).default("none").meta({ label: "Manual snapshot" }),
    group: GroupNameSchema.optional().meta({ label: "Group", help: "For a snapshot of one group, e.g. group1" }),
  })
  .superRefine((value, ctx) => {
    if (value.snapshot === "one-group" && value.group === undefined) ctx.addIssue({ code: "custom", path: ["group"], message: "choose the group to snapshot" });
  });

type Params = z.output<typeof snapshotSettingsParameters>;

/** The groups to snapshot, in order: the chosen one, or every warehouse group of the inventory. */
export function snapshotGroups(params: Params, nodes: readonly InventoryNode[]): string[] {
  if (params.snapshot === "none") return [];
  if (params.snapshot === "one-group") return params.group === undefined ? [] : [params.group];
  return warehouseGroups(inventoryTable(nodes));
}

function groupGuard(group: string, nodes: readonly InventoryNode[]) {
  const groups = warehouseGroups(inventoryTable(nodes));
  return groups.includes(group) ? { ok: true as const } : { ok: false as const, field: "group", message: `${group} is not a warehouse group of this cluster (groups: ${groups.join(", ") || "none"})` };
}

function intervalText(seconds: number): string {
  return seconds === 0 ? "0 (disabled)" : `${seconds} seconds`;
}

export const snapshotSettings = defineProcedure({
  id: "machbase.snapshot-settings",
  engine: "MACHBASE",
  title: "Snapshot settings",
  description: "Shows and sets the automatic snapshot interval, and takes manual snapshots of warehouse groups.",
  parameters: snapshotSettingsParameters,
  mutating: true,
  approval: "none",
  steps: ({ forEach }) => [
    {
      kind: "precheck",
      id: "show-interval",
      title: "Current automatic snapshot interval (--configuration)",
      host: onPrimaryCoordinator(),
      argv: configurationArgv(),
      assert: parsed(adminOutput, (output) =>
        snapshotIntervalSec(output) === null ? { ok: false, reason: `--configuration printed no ${SNAPSHOT_INTERVAL_KEY}` } : { ok: true },
      ),
    },
    forEach<number>({
      id: "interval",
      title: "Set the snapshot interval",
      items: ({ params }) => (params.intervalSeconds === undefined ? [] : [params.intervalSeconds]),
      label: intervalText,
      steps: [
        {
          kind: "confirm",
          id: "confirm-interval",
          title: ({ item }) => `Set the snapshot interval to ${intervalText(item)}`,
          text: ({ item }) => snapshotIntervalWarning(item) ?? `Automatic snapshots will run every ${item} seconds, one group per interval; it takes effect at once.`,
          destructive: false,
        },
        {
          kind: "action",
          id: "set-interval",
          title: ({ item }) => `Set the snapshot interval to ${intervalText(item)}`,
          host: onPrimaryCoordinator(),
          argv: ({ item }) => snapshotIntervalArgv({ seconds: item }),
          idempotent: true,
          onFailure: "The interval is unchanged; read the tool's error and retry.",
        },
        {
          kind: "verify",
          id: "interval-set",
          title: ({ item }) => `--configuration shows ${intervalText(item)}`,
          host: onPrimaryCoordinator(),
          argv: configurationArgv(),
          assert: parsed(adminOutput, (output, { item }) => {
            const now = snapshotIntervalSec(output);
            return now === item ? { ok: true } : { ok: false, reason: `${SNAPSHOT_INTERVAL_KEY} is ${now ?? "not printed"}, expected ${item}` };
          }),
        },
      ],
    }),
    forEach<string>({
      id: "snapshot",
      title: "Manual snapshot",
      items: ({ params, nodes }) => snapshotGroups(params, nodes),
      label: (group) => group,
      steps: [
        {
          kind: "precheck",
          id: "group-ready",
          title: ({ item }) => `Every warehouse of ${item} serves`,
          host: onPrimaryCoordinator(),
          argv: ({ item, nodes }) => guarded(groupGuard(item, nodes), () => clusterStatusArgv()),
          assert: parsed(statusTable, (table, { item }) => groupSnapshotReady(table, item)),
        },
        {
          kind: "action",
          id: "exec-snapshot",
          title: ({ item }) => `Snapshot ${item}`,
          host: onPrimaryCoordinator(),
          argv: ({ item }) => execSnapshotArgv({ group: item }),
          idempotent: true,
          onFailure: ({ item }) => `No new snapshot of ${item} was recorded; the previous one still stands. Check the group's warehouses, then retry.`,
        },
      ],
    }),
  ],
});
