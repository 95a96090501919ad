// Every GBase 8a procedure of seed 002.
import type { Procedure } from "../../../runs/model";
import { snapshotFlush } from "./snapshot-flush";

export { snapshotFlush };

/** Typed as plain procedures so the engine can hold them in one list and pick one by id. */
export const gbaseProcedures: readonly Procedure[] = [snapshotFlush];
