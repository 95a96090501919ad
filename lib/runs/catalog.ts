// Every procedure Keel offers, by engine. The engine looks a stored run's procedure up here by id.
import { machbaseProcedures } from "../engines/machbase/procedures";
import type { Engine, Procedure } from "./model";

export const PROCEDURES: readonly Procedure[] = [...machbaseProcedures];

export function proceduresFor(engine: Engine): readonly Procedure[] {
  return PROCEDURES.filter((p) => p.engine === engine);
}

export function findProcedure(id: string): Procedure | undefined {
  return PROCEDURES.find((p) => p.id === id);
}
