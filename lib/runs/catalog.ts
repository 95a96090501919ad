// Every procedure Keel offers, by engine. The engine looks a stored run's procedure up here by id.
import { gbaseProcedures } from "../engines/gbase/procedures";
import { machbaseProcedures } from "../engines/machbase/procedures";
import { prosyncProcedures } from "../engines/prosync/procedures";
import { tiberoProcedures } from "../engines/tibero/procedures";
import type { Engine, Procedure } from "./model";

export const PROCEDURES: readonly Procedure[] = [...machbaseProcedures, ...gbaseProcedures, ...tiberoProcedures, ...prosyncProcedures];

export function proceduresFor(engine: Engine): readonly Procedure[] {
  return PROCEDURES.filter((p) => p.engine === engine);
}

export function findProcedure(id: string): Procedure | undefined {
  return PROCEDURES.find((p) => p.id === id);
}
