// A DBA confirms the confirm step a run waits at; a destructive one needs a second DBA — the one who
// started the run may not approve it.
import { defineAction, ok } from "@/lib/api/action";
import { fail, notFound } from "@/lib/api/errors";
import { planSchema } from "../plan-schema";
import { enqueueAdvance, notifyRun } from "../engine/queue";
import { runEvent, runHead } from "../engine/transitions";
import { runStepInput } from "./schemas";

export const confirmStep = defineAction({
  name: "run.confirm",
  permission: "runs:operate",
  input: runStepInput,
  async run({ tx, actor, audit }, { runId, stepIndex }) {
    const run = await runHead(tx, runId, true);
    if (!run) return fail(notFound("This run"));
    if (run.state !== "WAITING" || run.nextStep !== stepIndex) {
      return fail({ code: "CONFLICT", message: `This run is not waiting for step ${stepIndex + 1} (it is ${run.state.toLowerCase()}, at step ${run.nextStep + 1}).` });
    }
    const stored = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { plan: true } });
    const step = planSchema.parse(stored.plan).steps[stepIndex];
    if (!step || step.kind !== "confirm") return fail({ code: "CONFLICT", message: `Step ${stepIndex + 1} is not a confirmation.` });
    if (step.destructive && actor.id === run.startedById) {
      await audit(runEvent(run, "run.confirm", { step: stepIndex + 1, reason: "self-approval refused" }, { outcome: "denied" }));
      return fail({ code: "FORBIDDEN", message: "You started this run: a second DBA must approve this step (no self-approval)." });
    }
    const decision = step.destructive ? "approved" : "confirmed";
    await tx.runStep.update({
      where: { runId_index: { runId, index: stepIndex } },
      data: { state: "SUCCEEDED", finishedAt: new Date(), decidedById: actor.id, decidedBy: actor.email, decidedAt: new Date(), decision, message: `${decision} by ${actor.email}` },
    });
    await tx.run.update({ where: { id: runId }, data: { state: "RUNNING", nextStep: stepIndex + 1, stateReason: "" } });
    await audit(runEvent(run, "run.confirm", { step: stepIndex + 1, key: step.key, decision, destructive: step.destructive }));
    await enqueueAdvance(tx, runId);
    await notifyRun(tx, runId);
    return ok({ runId, decision });
  },
});
