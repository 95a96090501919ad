import { describe, expect, it } from "vitest";

import { compilePlan } from "../../../runs/plan";
import { deployerUpgrade } from "./deployer-upgrade";
import { fixture, labCluster, outline, planOf, seedCluster, verdict } from "./test-context.test-fixture";

const FULL = "/tmp/machbase-ent-new.official-LINUX-X86-64-release.tgz";
const LIGHT = "/tmp/machbase-ent-new.official-LINUX-X86-64-release-lightweight.tgz";
const HOME = "/srv/keel-lab/machbase-lab.homes/mach1/machbase";

describe("deployer-upgrade", () => {
  it("compiles the coordinator's sequence with machdeployeradmin on the deployer's host", () => {
    const plan = planOf(compilePlan(deployerUpgrade, { packageFile: LIGHT, hostRunsMwaOrCollector: false }, labCluster));
    expect(outline(plan)).toEqual([
      "cluster-reachable precheck @mach1",
      "approve confirm",
      "shutdown action @mach1",
      "extract action @mach1",
      "startup action @mach1",
      "back wait-until @mach1",
      "cluster-healthy verify @mach1",
    ]);
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    expect(byKey.get("shutdown")).toMatchObject({ argv: ["machdeployeradmin", "--shutdown"], host: { hostName: "mach1", nodeName: "127.0.0.21:5201" } });
    expect(byKey.get("extract")).toMatchObject({ argv: ["tar", "-zxvf", LIGHT, "-C", HOME] });
    expect(byKey.get("startup")).toMatchObject({ argv: ["machdeployeradmin", "--startup"] });
  });

  it("names its backup archive after the deployer", () => {
    const plan = planOf(compilePlan(deployerUpgrade, { packageFile: FULL, hostRunsMwaOrCollector: true, backupDir: "/backup", backupAt: "2026-11-23T00:00:00Z" }, labCluster));
    expect(plan.steps.find((s) => s.key === "backups[0]/archive")?.title).toBe("Back up dbs/ and conf/ to /backup/machdeployer-dbs-conf-20261123T000000Z.tgz");
  });

  it("refuses a lightweight package on a host running MWA or a Collector", () => {
    expect(compilePlan(deployerUpgrade, { packageFile: LIGHT, hostRunsMwaOrCollector: true }, labCluster)).toEqual({
      ok: false,
      errors: [{ kind: "param", field: "packageFile", message: expect.stringContaining("runs MWA or a Collector; upgrade this deployer with the full package") }],
    });
    expect(compilePlan(deployerUpgrade, { packageFile: FULL }, labCluster)).toMatchObject({ ok: false, errors: [{ kind: "param", field: "hostRunsMwaOrCollector" }] });
  });

  it("waits for the deployer to be back in its role", () => {
    const plan = planOf(compilePlan(deployerUpgrade, { packageFile: FULL, hostRunsMwaOrCollector: true }, seedCluster));
    expect(verdict(deployerUpgrade, plan, "back", fixture("initial-cluster.txt"))).toEqual({ ok: true });
    const down = fixture("initial-cluster.txt").replace("| deployer    | localhost:30210 | Deployer        | normal          | normal        | normal ", "| deployer    | localhost:30210 | Deployer        | normal          | normal        | **unknown**");
    expect(verdict(deployerUpgrade, plan, "back", down)).toMatchObject({ ok: false, reason: expect.stringContaining("localhost:30210") });
  });
});
