// Every Tibero TAC procedure of seed 001.
import type { Procedure } from "../../../runs/model";
import { createDatabase } from "./create-database";

export { createDatabase };

/** Typed as plain procedures so the engine can hold them in one list and pick one by id. */
export const tiberoProcedures: readonly Procedure[] = [createDatabase];
