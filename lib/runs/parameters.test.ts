import { describe, expect, it } from "vitest";
import { z } from "zod";

import { rollingRestart } from "./example-procedure.test-fixture";
import { describeParameters } from "./model";

describe("describeParameters", () => {
  it("lists the fields with labels and help from .meta() or .describe()", () => {
    expect(describeParameters(rollingRestart.parameters)).toEqual([
      { name: "nodes", label: "Nodes", help: "Restarted in this order", type: "list", integer: false, options: null, itemType: "text", required: true, defaultValue: undefined, input: null },
      { name: "reason", label: "Reason", help: "Why the restart is needed", type: "text", integer: false, options: null, itemType: null, required: true, defaultValue: undefined, input: null },
      { name: "waitSeconds", label: "Wait seconds", help: null, type: "number", integer: true, options: null, itemType: null, required: false, defaultValue: 120, input: null },
    ]);
  });

  it("gives enum options, optional and transformed fields", () => {
    const fields = describeParameters(
      z.object({
        component: z.enum(["coordinator", "deployer"]).meta({ label: "Component" }),
        groups: z.array(z.enum(["group1", "group2"])).optional(),
        backup: z.boolean().default(true).meta({ help: "tar dbs/ and conf/ first" }),
        home: z.string().transform((p) => p.replace(/\/$/, "")).meta({ label: "Home directory" }),
      }),
    );
    expect(fields.map((f) => [f.name, f.label, f.type, f.options, f.itemType, f.required])).toEqual([
      ["component", "Component", "enum", ["coordinator", "deployer"], null, true],
      ["groups", "Groups", "list", ["group1", "group2"], "enum", false],
      ["backup", "Backup", "boolean", null, null, false],
      ["home", "Home directory", "text", null, null, true],
    ]);
    expect(fields[2]?.help).toBe("tar dbs/ and conf/ first");
  });

  it("marks parameters that name a stored credential, by meta or by name", () => {
    const fields = describeParameters(
      z.object({
        sysCredential: z.string(),
        key: z.string().meta({ input: "credential" }),
        note: z.string(),
      }),
    );
    expect(fields.map((f) => [f.name, f.input])).toEqual([
      ["sysCredential", "credential"],
      ["key", "credential"],
      ["note", null],
    ]);
  });
});
