import { describe, expect, it } from "vitest";

import { describeParameters } from "../../../runs/model";
import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { machbaseProcedures } from "./index";
import { labCluster, planOf } from "./test-context.test-fixture";

const FULL = "/tmp/machbase-ent-new.official-LINUX-X86-64-release.tgz";
const MINIMAL: Record<string, Record<string, unknown>> = {
  "machbase.coordinator-upgrade": { packageFile: FULL, backupDir: "/backup" },
  "machbase.deployer-upgrade": { packageFile: FULL, hostRunsMwaOrCollector: true },
  "machbase.package-registration": { packageName: "new_package", packageFile: FULL },
  "machbase.rolling-upgrade": { packageName: "new_package" },
  "machbase.snapshot-settings": { intervalSeconds: 120, snapshot: "every-group" },
  "machbase.scrapped-warehouse-recovery": { node: "127.0.0.24:5402" },
};

describe("machbaseProcedures", () => {
  it("lists the six procedures of seed 000 with distinct ids, all Machbase and mutating", () => {
    expect(machbaseProcedures.map((p) => p.id)).toEqual([
      "machbase.coordinator-upgrade",
      "machbase.deployer-upgrade",
      "machbase.package-registration",
      "machbase.rolling-upgrade",
      "machbase.snapshot-settings",
      "machbase.scrapped-warehouse-recovery",
    ]);
    expect(machbaseProcedures.every((p) => p.engine === "MACHBASE" && p.mutating)).toBe(true);
  });

  it("describes every parameter form", () => {
    const fields = Object.fromEntries(machbaseProcedures.map((p) => [p.id, describeParameters(p.parameters).map((f) => `${f.name}:${f.type}${f.required ? "" : "?"}`)]));
    expect(fields).toEqual({
      "machbase.coordinator-upgrade": ["packageFile:text", "backupDir:text?", "backupAt:text?", "noDdlAttested:boolean?"],
      "machbase.deployer-upgrade": ["packageFile:text", "backupDir:text?", "backupAt:text?", "hostRunsMwaOrCollector:boolean"],
      "machbase.package-registration": ["packageName:text", "packageFile:text"],
      "machbase.rolling-upgrade": ["packageName:text", "nodes:list?"],
      "machbase.snapshot-settings": ["intervalSeconds:number?", "snapshot:enum?", "group:text?"],
      "machbase.scrapped-warehouse-recovery": ["node:text", "restartNode:boolean?"],
    });
  });

  it("each compiles on the lab's layout, survives storage and renders as text", () => {
    for (const procedure of machbaseProcedures) {
      const plan = planOf(compilePlan(procedure, MINIMAL[procedure.id], labCluster));
      expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
      const text = planAsText(plan);
      expect(text.split("\n")[0]).toContain(`(${procedure.id})`);
      expect(text).toContain("$ 'machcoordinatoradmin'");
    }
  });
});
