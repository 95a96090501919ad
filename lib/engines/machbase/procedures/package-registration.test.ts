import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { packageRegistration } from "./package-registration";
import { LAB_PRIMARY, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const LIGHT = "/home/machbase/machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";
const LISTED = [
  "Package Name : machbase",
  "File Name    : machbase-ent-old.official-LINUX-X86-64-release-lightweight.tgz",
  "File Size    : 1 bytes",
  " ",
  "Package Name : other",
  "File Name    : machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz",
  "File Size    : 2 bytes",
].join("\n");

describe("package-registration", () => {
  it("compiles list → add-package → verify on the primary coordinator's host with the seed's options", () => {
    const plan = planOf(compilePlan(packageRegistration, { packageName: "new_package", packageFile: LIGHT }, labCluster));
    expect(outline(plan)).toEqual(["no-duplicate precheck @mach1", "add-package action @mach1", "registered verify @mach1"]);
    expect(plan.steps[0]).toMatchObject({ host: LAB_PRIMARY, argv: ["machcoordinatoradmin", "--list-package"] });
    expect(plan.steps[1]).toMatchObject({
      argv: ["machcoordinatoradmin", "--add-package=new_package", `--file-name=${LIGHT}`],
      idempotent: false,
      help: expect.stringContaining("already registered"),
    });
    expect(planAsText(plan)).toContain("--add-package=new_package");
  });

  it("refuses bad parameters by field", () => {
    expect(compilePlan(packageRegistration, { packageName: "new package", packageFile: "./pkg.zip" }, labCluster)).toMatchObject({
      ok: false,
      errors: [
        { kind: "param", field: "packageName" },
        { kind: "param", field: "packageFile" },
      ],
    });
  });

  it("refuses a file name already registered, whatever its package name", () => {
    const plan = planOf(compilePlan(packageRegistration, { packageName: "new_package", packageFile: LIGHT }, seedCluster));
    expect(verdict(packageRegistration, plan, "no-duplicate", LISTED)).toEqual({
      ok: false,
      reason: "a package with the file name machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz is already registered (as other); rename the file or use package other",
    });
    const fresh = planOf(compilePlan(packageRegistration, { packageName: "new_package", packageFile: "/home/machbase/renamed-lightweight.tgz" }, seedCluster));
    expect(verdict(packageRegistration, fresh, "no-duplicate", LISTED)).toEqual({ ok: true });
    expect(verdict(packageRegistration, fresh, "registered", LISTED)).toMatchObject({ ok: false });
    expect(verdict(packageRegistration, plan, "registered", `${LISTED}\n \nPackage Name : new_package\nFile Name    : x.tgz\n`)).toEqual({ ok: true });
  });
});
