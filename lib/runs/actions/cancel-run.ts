// Cancel: a run no worker is executing (waiting, interrupted, queued) ends at once; a running one is
// asked to stop — its worker kills the remote command and records where it stopped.
import { defineAction, ok } from "@/lib/api/action";
import { fail, notFound, type Result } from "@/lib/api/errors";
import { notifyRun } from "../engine/queue";
import { endRun, isTerminal, runEvent, runHead } from "../engine/transitions";
import { cancelRunInput } from "./schemas";

export const cancelRun = defineAction({
  name: "run.cancel",
  permission: "runs:operate",
  input: cancelRunInput,
  async run({ tx, actor, audit }, { runId }): Promise<Result<{ runId: string; state: "cancelling" | "cancelled" }>> {
    const run = await runHead(tx, runId, true);
    if (!run) return fail(notFound("This run"));
    if (isTerminal(run.state)) return fail({ code: "CONFLICT", message: `This run already ended (${run.state.toLowerCase()}).` });
    if (run.state === "RUNNING" && run.workerId) {
      if (run.cancelRequestedAt) return ok({ runId, state: "cancelling" });
      await tx.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date(), cancelRequestedBy: actor.email } });
      await audit(runEvent(run, "run.cancel", { requested: true, atStep: run.nextStep + 1 }));
      await notifyRun(tx, runId);
      return ok({ runId, state: "cancelling" });
    }
    const where = run.state === "RUNNING" ? "before its next step started" : `while ${run.state === "WAITING" ? "waiting at" : "interrupted at"} step ${run.nextStep + 1}`;
    await tx.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date(), cancelRequestedBy: actor.email } });
    await tx.runStep.updateMany({ where: { runId, index: run.nextStep, state: { in: ["WAITING", "PENDING"] } }, data: { state: "CANCELLED", finishedAt: new Date() } });
    await endRun(tx, run, "CANCELLED", `Cancelled by ${actor.email} ${where}; the cluster is left as the completed steps left it.`, { id: actor.id, email: actor.email, role: actor.role });
    await audit(runEvent(run, "run.cancel", { requested: false, atStep: run.nextStep + 1 }));
    await notifyRun(tx, runId);
    return ok({ runId, state: "cancelled" });
  },
});
