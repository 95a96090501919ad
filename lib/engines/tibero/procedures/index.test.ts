import { describe, expect, it } from "vitest";

import { labPlanContext } from "../../../../lab/estate/plan-context";
import { findProcedure, proceduresFor } from "../../../runs/catalog";
import { describeParameters } from "../../../runs/model";
import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { planOf } from "../../machbase/procedures/test-context.test-fixture";
import { tiberoProcedures } from ".";

const MINIMAL: Record<string, unknown> = {
  "tibero.create-database": { dbName: "tac", sysCredential: "c1", instances: 2, maxInstances: 8, characterSet: "UTF8", dbCreateFileDest: "/tbdata" },
};

describe("tiberoProcedures", () => {
  it("are in the catalog, label their fields, compile on the lab's layout and survive storage", () => {
    expect(proceduresFor("TIBERO")).toEqual(tiberoProcedures);
    for (const procedure of tiberoProcedures) {
      expect(findProcedure(procedure.id)).toBe(procedure);
      expect(describeParameters(procedure.parameters).map((f) => f.label).every((l) => l !== "")).toBe(true);
      const plan = planOf(compilePlan(procedure, MINIMAL[procedure.id], labPlanContext("TIBERO")));
      expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
      expect(planAsText(plan).split("\n")[0]).toContain(`(${procedure.id})`);
    }
  });
});
