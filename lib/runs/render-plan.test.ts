import { describe, expect, it } from "vitest";

import { quoteArgv } from "../ssh/quote";
import { inventory, rollingRestart } from "./example-procedure.test-fixture";
import { defineProcedure } from "./model";
import { compilePlan } from "./plan";
import { planAsText } from "./render-plan";

describe("planAsText", () => {
  it("lists every step in order with its host and the command exactly as quoteArgv sends it", () => {
    const result = compilePlan(rollingRestart, { nodes: ["10.0.0.2:5301"], reason: "patch" }, inventory);
    if (!result.ok) throw new Error("expected a plan");
    expect(planAsText(result.plan)).toBe(
      [
        "Rolling restart (test.rolling-restart) — 5 steps, mutating, no second approval",
        "1. [precheck] Cluster is healthy",
        "   on coord-1 [10.0.0.1] (10.0.0.1:5101):",
        "   $ 'machcoordinatoradmin' '--cluster-status-full'",
        "-- Restart node: 10.0.0.2:5301",
        "2. [action] Shut down 10.0.0.2:5301",
        "   on coord-1 [10.0.0.1] (10.0.0.1:5101):",
        "   $ 'machcoordinatoradmin' '--shutdown-node=10.0.0.2:5301'",
        "   if it fails: Check 10.0.0.2:5301 with --cluster-status-full; start it again with --startup-node=10.0.0.2:5301.",
        "3. [action] Start 10.0.0.2:5301",
        "   on coord-1 [10.0.0.1] (10.0.0.1:5101), not idempotent:",
        "   $ 'machcoordinatoradmin' '--startup-node=10.0.0.2:5301'",
        "   if it fails: Leave the cluster as it is; the remaining nodes were not touched.",
        "4. [wait-until] Wait until 10.0.0.2:5301 is normal",
        "   on coord-1 [10.0.0.1] (10.0.0.1:5101), every 2s for up to 120s:",
        "   $ 'machcoordinatoradmin' '--cluster-status-full'",
        "5. [verify] Cluster healthy after restarting 1 node(s)",
        "   on coord-1 [10.0.0.1] (10.0.0.1:5101):",
        "   $ 'machcoordinatoradmin' '--cluster-status-full'",
        "",
      ].join("\n"),
    );
  });

  it("quotes values with spaces and quotes exactly as quoteArgv does", () => {
    const argv = ["tar", "-czf", "/backup/it's here.tgz", 'say "hi"', "$HOME;rm -rf /"];
    const procedure = defineProcedure({
      ...rollingRestart,
      steps: [
        { kind: "action", id: "tar", title: "Back up", host: { host: "wh-a" }, argv, idempotent: true, onFailure: "remove the partial archive" },
        { kind: "confirm", id: "go", title: "Go on", text: "Ready?", destructive: true },
      ],
    });
    const result = compilePlan(procedure, { nodes: ["10.0.0.2:5301"], reason: "patch" }, inventory);
    if (!result.ok) throw new Error("expected a plan");
    const text = planAsText(result.plan);
    expect(text).toContain(`   $ ${quoteArgv(argv)}\n`);
    expect(text).toContain(`$ 'tar' '-czf' '/backup/it'\\''s here.tgz' 'say "hi"' '$HOME;rm -rf /'\n`);
    expect(text).toContain("requires a second DBA's approval");
    expect(text).toContain("2. [confirm] Go on\n   second DBA must approve: Ready?\n");
  });
});
