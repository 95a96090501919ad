// Starts a run of exactly the plan the operator reviewed: the plan is compiled again from the cluster
// as it is now and must have the reviewed digest. The run, its steps, the cluster lease (mutating
// procedures), the audit row and the queue job commit together — or nothing does.
import { defineAction, ok } from "@/lib/api/action";
import { fail } from "@/lib/api/errors";
import { acquireLease, describeHolder } from "../engine/lease";
import { enqueueAdvance, notifyRun } from "../engine/queue";
import { runEvent } from "../engine/transitions";
import { preparePlan, type PreparedPlan } from "./prepare-plan";
import { startRunInput } from "./schemas";

export const startRun = defineAction({
  name: "run.start",
  permission: "runs:operate",
  input: startRunInput,
  async remote(_actor, input) {
    const prepared = await preparePlan(input);
    if (!prepared.ok) return prepared;
    if (prepared.value.digest !== input.planDigest) {
      return fail({
        code: "CONFLICT",
        message: "The plan changed since you reviewed it (the inventory or the parameters changed). Review the new plan, then start.",
      });
    }
    return ok<PreparedPlan>(prepared.value);
  },
  async run({ tx, actor, audit }, _input, prepared) {
    const { plan, digest, run: context } = prepared;
    const run = await tx.run.create({
      data: {
        clusterId: context.clusterId,
        clusterName: context.clusterName,
        procedureId: plan.procedureId,
        title: plan.title,
        mutating: plan.mutating,
        plan: plan as object,
        planDigest: digest,
        startedById: actor.id,
        startedByEmail: actor.email,
        startedByRole: actor.role,
        steps: {
          create: plan.steps.map((step) => ({
            index: step.index,
            key: step.key,
            kind: step.kind,
            title: step.title,
            hostName: "host" in step ? step.host.hostName : "",
            nodeName: "host" in step ? (step.host.nodeName ?? "") : "",
            argv: "argv" in step ? step.argv : [],
          })),
        },
      },
      select: { id: true, clusterId: true, clusterName: true },
    });
    if (plan.mutating) {
      const lease = await acquireLease(tx, { clusterId: context.clusterId, runId: run.id, holderId: actor.id, holder: actor.email });
      if (!lease.ok) return fail({ code: "CONFLICT", message: describeHolder(lease.held) });
      if (lease.tookOverFrom) {
        await tx.run.updateMany({
          where: { id: lease.tookOverFrom, state: { in: ["RUNNING", "WAITING", "INTERRUPTED"] } },
          data: { state: "ABORTED", stateReason: `Aborted: its cluster lease expired without activity and run ${run.id} took the cluster over.`, finishedAt: new Date(), workerId: null },
        });
        await audit(runEvent({ ...run, id: lease.tookOverFrom }, "run.aborted", { reason: "lease expired", takenOverBy: run.id }, { outcome: "failed" }));
      }
    }
    await audit(runEvent(run, "run.start", { procedureId: plan.procedureId, title: plan.title, planDigest: digest, params: plan.params, steps: plan.steps.length, mutating: plan.mutating }));
    await enqueueAdvance(tx, run.id);
    await notifyRun(tx, run.id);
    return ok({ runId: run.id });
  },
});
