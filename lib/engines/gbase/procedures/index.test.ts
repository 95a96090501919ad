import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { findProcedure, proceduresFor } from "../../../runs/catalog";
import { describeParameters } from "../../../runs/model";
import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { planOf } from "../../machbase/procedures/test-context.test-fixture";
import { gbaseProcedures } from ".";

describe("gbaseProcedures", () => {
  it("are in the catalog, label every field, compile on the lab's layout and survive storage", () => {
    expect(proceduresFor("GBASE")).toEqual(gbaseProcedures);
    for (const procedure of gbaseProcedures) {
      expect(findProcedure(procedure.id)).toBe(procedure);
      expect(describeParameters(procedure.parameters).every((f) => f.label !== "" && f.help !== null)).toBe(true);
      const plan = planOf(compilePlan(procedure, { version: "V953" }, labPlanContext("GBASE")));
      expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
      expect(planAsText(plan).split("\n")[0]).toContain(`(${procedure.id})`);
    }
  });
});
