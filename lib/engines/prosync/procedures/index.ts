// Every ProSync procedure of seed 003.
import type { Procedure } from "../../../runs/model";
import { cmFailoverSetup } from "./cm-failover-setup";
import { failoverDrill } from "./failover-drill";

export { cmFailoverSetup, failoverDrill };

/** Typed as plain procedures so the engine can hold them in one list and pick one by id. */
export const prosyncProcedures: readonly Procedure[] = [cmFailoverSetup, failoverDrill];
