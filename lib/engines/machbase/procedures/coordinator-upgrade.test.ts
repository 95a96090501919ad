import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { planAsText } from "../../../runs/render-plan";
import { coordinatorUpgrade } from "./coordinator-upgrade";
import { fixture, LAB_PRIMARY, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const FULL = "/tmp/machbase-ent-new.official-LINUX-X86-64-release.tgz";
const LIGHT = "/tmp/machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";
const HOME = "/srv/keel-lab/machbase-lab.homes/mach1/machbase";
const AT = "2026-11-23T12:24:30.000Z";
const DDL_HEAD = "Cluster Status : Service\nCoordinator    : localhost:30110\n";

describe("coordinator-upgrade", () => {
  it("compiles prechecks, the approval, shutdown, backup, extract, startup and the checks on the primary coordinator's host", () => {
    const plan = planOf(compilePlan(coordinatorUpgrade, { packageFile: FULL, backupDir: "/var/backups/mach", backupAt: AT }, labCluster));
    expect(outline(plan)).toEqual([
      "cluster-reachable precheck @mach1",
      "no-ddl precheck @mach1",
      "approve confirm",
      "shutdown action @mach1",
      "backups[0]/backup-dir action @mach1",
      "backups[0]/archive action @mach1",
      "extract action @mach1",
      "startup action @mach1",
      "back wait-until @mach1",
      "cluster-healthy verify @mach1",
    ]);
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    expect(byKey.get("shutdown")).toMatchObject({ host: LAB_PRIMARY, argv: ["machcoordinatoradmin", "--shutdown"] });
    expect(byKey.get("no-ddl")).toMatchObject({ argv: ["machcoordinatoradmin", "--cluster-node"] });
    expect(byKey.get("backups[0]/archive")).toMatchObject({
      title: "Back up dbs/ and conf/ to /var/backups/mach/machcoordinator-dbs-conf-20261123T122430Z.tgz",
      argv: ["tar", "-czf", "/var/backups/mach/machcoordinator-dbs-conf-20261123T122430Z.tgz", "-C", HOME, "dbs", "conf"],
    });
    expect(byKey.get("extract")).toMatchObject({ argv: ["tar", "-zxvf", FULL, "-C", HOME] });
    expect(byKey.get("extract")?.help).toContain(`tar -xzf /var/backups/mach/machcoordinator-dbs-conf-20261123T122430Z.tgz -C ${HOME}`);
    expect(byKey.get("startup")).toMatchObject({ argv: ["machcoordinatoradmin", "--startup"] });
    expect(byKey.get("approve")).toMatchObject({ kind: "confirm", destructive: true });
    expect(plan.requiresSecondDba).toBe(true);
    expect(planAsText(plan)).toContain("second DBA must approve");
  });

  it("skips the backup when no directory is given", () => {
    const plan = planOf(compilePlan(coordinatorUpgrade, { packageFile: FULL }, labCluster));
    expect(plan.steps.some((s) => s.item?.blockId === "backups")).toBe(false);
  });

  it("refuses a lightweight package and bad paths by field", () => {
    expect(compilePlan(coordinatorUpgrade, { packageFile: LIGHT }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "param", field: "packageFile", message: expect.stringMatching(/is a lightweight package; the coordinator must be upgraded with the full package/) }],
    });
    expect(compilePlan(coordinatorUpgrade, { packageFile: "pkg.tgz", backupDir: "relative" }, labCluster)).toMatchObject({
      ok: false,
      errors: [{ kind: "param", field: "packageFile" }, { kind: "param", field: "backupDir" }],
    });
  });

  it("refuses to plan without the coordinator's home", () => {
    const result = compilePlan(coordinatorUpgrade, { packageFile: FULL }, { ...labCluster, settings: {} });
    expect(result).toMatchObject({ ok: false, errors: [{ kind: "step", step: "extract", message: "command refused: MACH_COORDINATOR_HOME: not set in the cluster's settings" }] });
  });

  it("passes the DDL check on idle, refuses running DDL, and takes the attestation only where DDL cannot be probed", () => {
    const plan = planOf(compilePlan(coordinatorUpgrade, { packageFile: FULL }, seedCluster));
    const attested = planOf(compilePlan(coordinatorUpgrade, { packageFile: FULL, noDdlAttested: true }, seedCluster));
    expect(verdict(coordinatorUpgrade, plan, "no-ddl", `${DDL_HEAD}DDL Status     : idle\n`)).toEqual({ ok: true });
    expect(verdict(coordinatorUpgrade, attested, "no-ddl", `${DDL_HEAD}DDL Status     : running\n`)).toMatchObject({ ok: false, reason: expect.stringMatching(/^a DDL is running/) });
    expect(verdict(coordinatorUpgrade, plan, "no-ddl", DDL_HEAD)).toMatchObject({ ok: false, reason: expect.stringContaining("tick the attestation") });
    expect(verdict(coordinatorUpgrade, attested, "no-ddl", DDL_HEAD)).toEqual({ ok: true });
  });

  it("verifies the coordinator is primary again and the cluster healthy on the seed's tables", () => {
    const plan = planOf(compilePlan(coordinatorUpgrade, { packageFile: FULL }, seedCluster));
    expect(verdict(coordinatorUpgrade, plan, "cluster-reachable", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(coordinatorUpgrade, plan, "back", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(coordinatorUpgrade, plan, "back", fixture("initial-cluster.txt").replace("primary       | primary", "primary       | **unknown**"))).toMatchObject({ ok: false });
    expect(verdict(coordinatorUpgrade, plan, "cluster-healthy", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    expect(verdict(coordinatorUpgrade, plan, "cluster-healthy", fixture("warehouse-dead-detected.txt")).ok).toBe(false);
  });
});
