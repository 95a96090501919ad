// Every Machbase procedure of seed 000, in the order the seed describes them.
import type { Procedure } from "../../../runs/model";
import { coordinatorUpgrade } from "./coordinator-upgrade";
import { deployerUpgrade } from "./deployer-upgrade";
import { packageRegistration } from "./package-registration";
import { rollingUpgrade } from "./rolling-upgrade";
import { scrappedWarehouseRecovery } from "./scrapped-warehouse-recovery";
import { snapshotSettings } from "./snapshot-settings";

export { coordinatorUpgrade, deployerUpgrade, packageRegistration, rollingUpgrade, scrappedWarehouseRecovery, snapshotSettings };

/** Typed as plain procedures so the engine can hold them in one list and pick one by id. */
export const machbaseProcedures: readonly Procedure[] = [
  coordinatorUpgrade,
  deployerUpgrade,
  packageRegistration,
  rollingUpgrade,
  snapshotSettings,
  scrappedWarehouseRecovery,
];
