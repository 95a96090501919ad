// Which command prints an engine's topology, and how its output becomes a plan. The argv are the
// status probers' own, so an import reads exactly what the cluster page shows.
import { gcadminArgv } from "@/lib/engines/gbase/commands";
import { STATUS_ARGV } from "@/lib/engines/machbase/status";
import { SHOW_ALL_ARGV } from "@/lib/engines/tibero/status";
import type { EngineName } from "../engines";
import { planFromCmrctl, planFromGbase, planFromMachbase } from "./plan";
import type { PlanResult } from "./types";

export type ImportSource = {
  argv: string[];
  /** Exit codes other than 0 whose output still says what went wrong (Machbase prints `[ERROR] …` and exits 1). */
  acceptExit: number[];
  plan: (output: string) => PlanResult;
};

/** null: the engine has no status output that lists its nodes (PostgreSQL). */
export function importSourceOf(engine: EngineName): ImportSource | null {
  switch (engine) {
    case "MACHBASE":
      return { argv: [...STATUS_ARGV], acceptExit: [1], plan: planFromMachbase };
    case "GBASE":
      return { argv: gcadminArgv(), acceptExit: [], plan: planFromGbase };
    case "TIBERO":
    case "PROSYNC":
      return { argv: [...SHOW_ALL_ARGV], acceptExit: [], plan: (output) => planFromCmrctl(output, engine) };
    case "POSTGRESQL":
      return null;
  }
}
