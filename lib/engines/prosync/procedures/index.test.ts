import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { findProcedure, proceduresFor } from "../../../runs/catalog";
import { describeParameters } from "../../../runs/model";
import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { planOf } from "../../machbase/procedures/test-context.test-fixture";
import { prosyncProcedures } from ".";

const MINIMAL: Record<string, unknown> = {
  "prosync.cm-failover-setup": { clusterName: "cls_prosync" },
  "prosync.failover-drill": { agent: "agent2" },
};

describe("prosyncProcedures", () => {
  it("are in the catalog, label their fields, compile on the lab's layout and survive storage", () => {
    expect(proceduresFor("PROSYNC")).toEqual(prosyncProcedures);
    expect(describeParameters(prosyncProcedures[0]!.parameters).map((f) => `${f.name}:${f.type}${f.required ? "" : "?"}`)).toEqual([
      "group:text?",
      "clusterName:text?",
      "failover:boolean?",
      "agents:list?",
      "retryCount:number?",
    ]);
    for (const procedure of prosyncProcedures) {
      expect(findProcedure(procedure.id)).toBe(procedure);
      const plan = planOf(compilePlan(procedure, MINIMAL[procedure.id], labPlanContext("PROSYNC")));
      expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
      expect(planAsText(plan).split("\n")[0]).toContain(`(${procedure.id})`);
    }
  });
});
