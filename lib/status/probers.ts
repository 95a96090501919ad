// One status prober per engine; the scheduler picks by the cluster's engine.
import { probeGbase } from "../engines/gbase/status";
import { probeMachbase } from "../engines/machbase/status";
import { probePostgres } from "../engines/postgres/status";
import { probeProsync } from "../engines/prosync/status";
import { probeTibero } from "../engines/tibero/status";
import type { ClusterObservation, ProbeTarget, Prober, RemoteRunner } from "./types";

export const PROBERS: Record<ProbeTarget["engine"], Prober> = {
  MACHBASE: probeMachbase,
  GBASE: probeGbase,
  TIBERO: probeTibero,
  PROSYNC: probeProsync,
  POSTGRESQL: probePostgres,
};

/** Runs the engine's prober; a prober bug becomes an `unknown` observation, never a rejected promise. */
export async function probe(target: ProbeTarget, run: RemoteRunner): Promise<ClusterObservation> {
  try {
    return await PROBERS[target.engine](target, run);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { health: "unknown", reason: `the ${target.engine} prober failed: ${message}`, nodes: [], panels: {}, errors: [] };
  }
}
