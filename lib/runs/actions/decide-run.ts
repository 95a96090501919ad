// An operator's decision on an interrupted run (the worker was lost during an action whose outcome
// is unknown): retry the action, mark it done (with what was checked), or abort the run.
import { defineAction, ok } from "@/lib/api/action";
import { fail, notFound } from "@/lib/api/errors";
import { enqueueAdvance, notifyRun } from "../engine/queue";
import { endRun, runEvent, runHead } from "../engine/transitions";
import { decideRunInput } from "./schemas";

export const decideRun = defineAction({
  name: "run.decide",
  permission: "runs:operate",
  input: decideRunInput,
  async run({ tx, actor, audit }, { runId, decision, note }) {
    const run = await runHead(tx, runId, true);
    if (!run) return fail(notFound("This run"));
    if (run.state !== "INTERRUPTED") return fail({ code: "CONFLICT", message: `Only an interrupted run needs a decision; this one is ${run.state.toLowerCase()}.` });
    const index = run.nextStep;
    const decided = { decidedById: actor.id, decidedBy: actor.email, decidedAt: new Date(), decision };
    await audit(runEvent(run, "run.decide", { step: index + 1, decision, note }));
    if (decision === "abort") {
      await tx.runStep.update({ where: { runId_index: { runId, index } }, data: decided });
      await endRun(tx, run, "ABORTED", `Aborted by ${actor.email} at interrupted step ${index + 1}${note ? `: ${note}` : ""}. The cluster is left as it is.`, { id: actor.id, email: actor.email, role: actor.role });
    } else {
      await tx.runStep.update({
        where: { runId_index: { runId, index } },
        data: decision === "retry" ? { ...decided, state: "PENDING" } : { ...decided, state: "MARKED_DONE", message: `marked done by ${actor.email}: ${note}` },
      });
      await tx.run.update({ where: { id: runId }, data: { state: "RUNNING", stateReason: "", nextStep: decision === "retry" ? index : index + 1 } });
      await enqueueAdvance(tx, runId);
    }
    await notifyRun(tx, runId);
    return ok({ runId, decision });
  },
});
