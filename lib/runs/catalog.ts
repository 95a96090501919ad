// Every procedure Keel offers, by engine. The engine looks a stored run's procedure up here by id.
import { gbaseProcedures } from "../engines/gbase/procedures";
import { machbaseProcedures } from "../engines/machbase/procedures";
import { postgresProcedures } from "../engines/postgres/procedures";
import { prosyncProcedures } from "../engines/prosync/procedures";
import { tiberoProcedures } from "../engines/tibero/procedures";
import type { Engine, Procedure } from "./model";

export const PROCEDURES: readonly Procedure[] = [...machbaseProcedures, ...gbaseProcedures, ...tiberoProcedures, ...prosyncProcedures, ...postgresProcedures];

export function proceduresFor(engine: Engine): readonly Procedure[] {
  return PROCEDURES.filter((p) => p.engine === engine);
}

// Benches and tests only: a procedure defined in that process, findable by id there (the app never calls it).
const registeredForTesting: Procedure[] = [];
export function registerProcedureForTesting(procedure: Procedure): void {
  registeredForTesting.push(procedure);
}

export function findProcedure(id: string): Procedure | undefined {
  return PROCEDURES.find((p) => p.id === id) ?? registeredForTesting.find((p) => p.id === id);
}
