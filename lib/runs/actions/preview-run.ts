// The dry run: the full plan with every command, host and order, and the prechecks' current results
// (read-only commands, run now over audited SSH). Nothing is stored; nothing on the cluster changes.
import { defineAction, ok } from "@/lib/api/action";
import { toActor } from "@/lib/api/action";
import { evaluateProbe, probesForPlan } from "../evaluate";
import { probeOutput, runRemote } from "../engine/remote-step";
import type { Plan } from "../plan-schema";
import { planRequestInput } from "./schemas";
import { preparePlan } from "./prepare-plan";

export type PrecheckPreview = { index: number; ok: boolean; reason: string };

export const previewRun = defineAction({
  name: "run.preview",
  permission: "runs:operate",
  input: planRequestInput,
  async remote(actor, input) {
    const prepared = await preparePlan(input);
    if (!prepared.ok) return prepared;
    const { plan, digest, procedure, run } = prepared.value;
    const probes = probesForPlan(procedure, plan);
    const prechecks = await Promise.all(
      plan.steps
        .filter((step): step is Extract<Plan["steps"][number], { kind: "precheck" }> => step.kind === "precheck")
        .map(async (step): Promise<PrecheckPreview> => {
          const hostId = run.hostIds.get(step.host.hostName);
          const bound = probes.ok ? probes.byKey.get(step.key) : undefined;
          if (!hostId || !bound) return { index: step.index, ok: false, reason: `cannot be checked: ${probes.ok ? "host not in inventory" : probes.message}` };
          const result = await runRemote(
            { runId: "", stepNumber: step.index + 1, actor: toActor(actor), clusterId: run.clusterId, clusterName: run.clusterName, nodeName: step.host.nodeName ?? "", hostId },
            step.argv,
            { timeoutMs: step.timeoutMs, signal: AbortSignal.timeout(step.timeoutMs), stdin: step.stdin?.text, sink: null },
          );
          const answer = probeOutput(result);
          if (!answer.ok) return { index: step.index, ok: false, reason: answer.message };
          const verdict = evaluateProbe(bound, answer.output);
          return { index: step.index, ok: verdict.ok, reason: verdict.ok ? "passes now" : verdict.reason };
        }),
    );
    return ok({ plan, digest, prechecks });
  },
  async run(_ctx, _input, preview) {
    return ok(preview);
  },
});
