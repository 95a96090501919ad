// A Machbase lab cluster (real sshd hosts running the simulator) mirrored into the test database, and an
// in-process stand-in for the worker process: the same advanceRun the worker's job handler calls.
import path from "node:path";

import { composeEstate, machbaseCluster } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { seedLabInventory } from "../lab/seed-inventory";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { advanceRun, type WorkerHandle } from "@/lib/runs/engine/advance";
import { isLiveWorker, registerWorker } from "@/lib/runs/engine/workers";
import { defaultPool } from "@/lib/ssh";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";

export type MachbaseLab = { clusterId: string; clusterName: string; stateDir: string; stop: () => Promise<void> };

export async function startMachbaseLab(o: { name: string; firstAddress: number; hosts?: number; port: number; timeScale: number }): Promise<MachbaseLab> {
  const runDir = path.join(process.cwd(), "lab", ".run", o.name);
  const hosts = Array.from({ length: o.hosts ?? 2 }, (_, i) => ({ name: `${o.name}-h${i + 1}`, address: `127.0.0.${o.firstAddress + i}` }));
  const definition = composeEstate({ name: o.name, runDir, port: o.port, timeScale: o.timeScale }, (ctx) => [machbaseCluster(ctx, `${o.name}-mach`, hosts)]);
  const lab = await upEstate(definition, { fresh: true });
  await seedLabInventory({ definition, lab });
  const cluster = definition.clusters[0]!;
  const row = await db.cluster.findUniqueOrThrow({ where: { name: cluster.name } });
  return {
    clusterId: row.id,
    clusterName: row.name,
    stateDir: cluster.stateDir ?? "",
    stop: async () => {
      await defaultPool().closeAll();
      await downEstate(runDir);
    },
  };
}

export async function inProcessWorker(): Promise<WorkerHandle & { drive: (runId: string) => Promise<string> }> {
  const id = await registerWorker();
  const handle: WorkerHandle = { id, draining: () => false, isLive: isLiveWorker };
  return {
    ...handle,
    /** Executes the run until it stops (waiting, interrupted or ended) and returns its state. */
    drive: async (runId) => {
      await advanceRun(runId, handle);
      const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
      return run.state;
    },
  };
}

/** Preview then start, as the wizard does; throws with the errors when either is refused. */
export async function previewAndStart(actor: SessionUser, clusterId: string, procedureId: string, params: Record<string, unknown>): Promise<string> {
  const preview = await previewRun.invoke(actor, { clusterId, procedureId, params });
  if (!preview.ok) throw new Error(`preview refused: ${JSON.stringify(preview.error)}`);
  // As the wizard does: the parameters as the preview resolved them (defaults fixed).
  const started = await startRun.invoke(actor, { clusterId, procedureId, params: preview.value.plan.params, planDigest: preview.value.digest });
  if (!started.ok) throw new Error(`start refused: ${JSON.stringify(started.error)}`);
  return started.value.runId;
}
