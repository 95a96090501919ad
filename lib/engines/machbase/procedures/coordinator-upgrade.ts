// Seed "Coordinator 업그레이드": no DDL/DELETE running, FULL package only, then the shared upgrade.
import { z } from "zod";

import { defineProcedure, parsed, type CheckResult } from "../../../runs/model";
import { clusterNodeArgv } from "../commands";
import { coordinatorPackageAllowed } from "../packages";
import { coordinatorPrimary, noDdlRunning } from "../prechecks";
import { daemonUpgradeSteps } from "./daemon-upgrade";
import { backupAtField, backupDirField, packageFileField } from "./params";
import { adminOutput, onPrimaryCoordinator, statusTable } from "./shared";

export const coordinatorUpgradeParameters = z
  .object({
    packageFile: packageFileField,
    backupDir: backupDirField,
    backupAt: backupAtField,
    noDdlAttested: z.boolean().default(false).meta({
      label: "I attest that no DDL or DELETE is running",
      help: "Needed only where the cluster cannot report running DDL; DELETE is never reported",
    }),
  })
  .superRefine((value, ctx) => {
    const allowed = coordinatorPackageAllowed(value.packageFile);
    if (!allowed.ok) ctx.addIssue({ code: "custom", path: ["packageFile"], message: allowed.reason });
  });

type Params = z.output<typeof coordinatorUpgradeParameters>;

/** The probe answers when it can; where it cannot, the DBA's attestation stands in for it. */
export function ddlClear(verdict: ReturnType<typeof noDdlRunning>, attested: boolean): CheckResult {
  if (verdict.ok) return verdict;
  if (verdict.attestable && attested) return { ok: true };
  return { ok: false, reason: verdict.attestable ? `${verdict.reason} (tick the attestation in the parameters)` : verdict.reason };
}

/** The primary coordinator's node name in the inventory: the one the upgrade restarts. */
function primaryName(nodes: readonly { name: string; type: string; role: string }[]): string {
  return nodes.find((n) => n.type === "coordinator" && n.role === "primary")?.name ?? "";
}

export const coordinatorUpgrade = defineProcedure({
  id: "machbase.coordinator-upgrade",
  engine: "MACHBASE",
  title: "Coordinator upgrade",
  description: "Stops the primary coordinator, optionally backs up dbs/ and conf/, extracts the FULL package over $MACH_COORDINATOR_HOME and starts it again.",
  parameters: coordinatorUpgradeParameters,
  mutating: true,
  approval: "second-dba",
  steps: daemonUpgradeSteps<Params>({
    component: "coordinator",
    homeKey: "MACH_COORDINATOR_HOME",
    host: onPrimaryCoordinator(),
    prechecks: [
      {
        kind: "precheck",
        id: "no-ddl",
        title: "No DDL or DELETE is running",
        host: onPrimaryCoordinator(),
        argv: clusterNodeArgv(),
        assert: parsed(adminOutput, (output, { params }) => ddlClear(noDdlRunning(output), params.noDdlAttested)),
      },
    ],
    backInRole: parsed(statusTable, (table, { nodes }) => coordinatorPrimary(table, primaryName(nodes))),
    confirmText: ({ params }) =>
      `Upgrade the coordinator with ${params.packageFile}. While it is down, brokers and warehouses keep serving but a node that dies is not detected; ` +
      "no DDL or DELETE may run and no node may be added, started, stopped or removed until it is back.",
  }),
});

