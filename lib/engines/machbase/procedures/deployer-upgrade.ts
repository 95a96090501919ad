// Seed "Deployer 업그레이드": the coordinator's procedure with machdeployeradmin and $MACH_DEPLOYER_HOME;
// a lightweight package only on a host that runs neither MWA nor a Collector.
import { z } from "zod";

import { defineProcedure, parsed } from "../../../runs/model";
import { deployerPackageAllowed } from "../packages";
import { nodeBackInRole } from "../prechecks";
import { daemonUpgradeSteps } from "./daemon-upgrade";
import { backupAtField, backupDirField, packageFileField } from "./params";
import { statusTable } from "./shared";

export const deployerUpgradeParameters = z
  .object({
    packageFile: packageFileField,
    backupDir: backupDirField,
    backupAt: backupAtField,
    hostRunsMwaOrCollector: z.boolean().meta({
      label: "The deployer's host runs MWA or a Collector",
      help: "Filled from the host's inventory; when true only the full package is allowed",
    }),
  })
  .superRefine((value, ctx) => {
    const allowed = deployerPackageAllowed({ path: value.packageFile, hostRunsMwaOrCollector: value.hostRunsMwaOrCollector });
    if (!allowed.ok) ctx.addIssue({ code: "custom", path: ["packageFile"], message: allowed.reason });
  });

type Params = z.output<typeof deployerUpgradeParameters>;

const deployerName = (nodes: readonly { name: string; type: string }[]) => nodes.find((n) => n.type === "deployer")?.name ?? "";

export const deployerUpgrade = defineProcedure({
  id: "machbase.deployer-upgrade",
  engine: "MACHBASE",
  title: "Deployer upgrade",
  description: "Stops the deployer, optionally backs up dbs/ and conf/, extracts the package over $MACH_DEPLOYER_HOME and starts it again.",
  parameters: deployerUpgradeParameters,
  mutating: true,
  approval: "second-dba",
  fromInventory: ({ nodes, hosts }) => {
    const host = nodes.find((n) => n.type === "deployer")?.hostName;
    // A deployer on a host the inventory knows nothing about is treated as running MWA: full package only.
    return { hostRunsMwaOrCollector: host === undefined ? true : (hosts.get(host)?.runsMwaOrCollector ?? true) };
  },
  steps: daemonUpgradeSteps<Params>({
    component: "deployer",
    homeKey: "MACH_DEPLOYER_HOME",
    host: { where: { type: "deployer" } },
    // The seed's cautions for the deployer name only node commands, not DDL: no DDL precheck here.
    prechecks: [],
    backInRole: parsed(statusTable, (table, { nodes }) => nodeBackInRole(table, deployerName(nodes))),
    confirmText: ({ params }) =>
      `Upgrade the deployer with ${params.packageFile}. No node may be added, started, stopped or removed until it is back.`,
  }),
});
