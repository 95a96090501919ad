import { describe, expect, it } from "vitest";

import { findProcedure } from "../../../runs/catalog";
import { describeParameters } from "../../../runs/model";
import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { postgresProcedures } from "./index";
import { bare15, planOf, streaming11, streaming15 } from "./test-context.test-fixture";

const MINIMAL: Record<string, [Record<string, unknown>, typeof bare15]> = {
  "postgres.streaming-setup": [{ major: "15", primary: "127.0.0.34:5432", standby: "127.0.0.35:5432", passwordCredential: "c" }, bare15],
  "postgres.warm-standby": [{ major: "15", primary: "127.0.0.32:5432", standby: "127.0.0.33:5432", archiveDir: "/var/tmp/wal", standbyAccount: "keel-pg2", keyCredential: "k", hostKeys: { pg2: `SHA256:${"k".repeat(43)}` } }, streaming15],
  "postgres.failover": [{ major: "11", standby: "127.0.0.37:5432", oldPrimary: "127.0.0.36:5432" }, streaming11],
  "postgres.failback-rewind": [{ major: "15", target: "127.0.0.32:5432", source: "127.0.0.33:5432", passwordCredential: "c" }, streaming15],
  "postgres.switchback": [{ major: "11", primary: "127.0.0.37:5432", standby: "127.0.0.36:5432" }, streaming11],
};

describe("postgresProcedures", () => {
  it("lists the five procedures of seed 004, all PostgreSQL and mutating, and the catalog finds them", () => {
    expect(postgresProcedures.map((p) => p.id)).toEqual(Object.keys(MINIMAL));
    expect(postgresProcedures.every((p) => p.engine === "POSTGRESQL" && p.mutating)).toBe(true);
    for (const p of postgresProcedures) expect(findProcedure(p.id)).toBe(p);
  });

  it("describes every parameter with a label", () => {
    for (const p of postgresProcedures) {
      const fields = describeParameters(p.parameters);
      expect(fields.length).toBeGreaterThan(2);
      for (const f of fields) expect(f.label, `${p.id}.${f.name}`).not.toBe("");
    }
  });

  it("each compiles on the lab's layout (15 and 11), survives storage and renders as text", () => {
    for (const procedure of postgresProcedures) {
      const [params, context] = MINIMAL[procedure.id] ?? [{}, bare15];
      const plan = planOf(compilePlan(procedure, params, context));
      expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
      expect(planAsText(plan).split("\n")[0]).toContain(`(${procedure.id})`);
    }
  });

  it("refuses another engine's cluster", () => {
    const result = compilePlan(postgresProcedures[0]!, MINIMAL["postgres.streaming-setup"]![0], { ...bare15, engine: "MACHBASE" });
    expect(result.ok).toBe(false);
  });
});
