import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { parseTbboot } from "../../../lib/engines/tibero/parse-tbsql";
import { bootFail, instanceDown, nodeDown, nodeUp } from "../../faults/tibero";
import { createTac, must } from "./seed-steps";
import { disposeLabs, makeLab, type Lab } from "./lab-harness";
import { seedTopology } from "./topology";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);

afterAll(disposeLabs);

async function dbStatuses(lab: Lab, node: string): Promise<Record<string, string>> {
  const parsed = parseShowAll((await lab.run(node, "cmrctl", ["show", "all"])).stdout);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return Object.fromEntries(parsed.value.nodes.flatMap((n) => n.resources.filter((r) => r.type === "db").map((r) => [r.name, r.status])));
}

describe("Tibero faults", () => {
  it("an instance goes down and its boot fails until the fault is cleared (CLI)", async () => {
    const lab = await makeLab(seedTopology());
    await createTac(lab, "cls_tibero");
    expect(await dbStatuses(lab, "tibero1")).toEqual({ tibero1: "UP(NRML)", tibero2: "UP(NRML)" });

    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const cli = path.join(ROOT, "lab/faults/tibero.ts");
    const down = await run(process.execPath, [tsx, cli, lab.stateDir, "instance-down", "tibero2"]);
    expect(down.stdout).toBe("instance-down tibero2: done (node tibero2)\n");
    await bootFail(lab.stateDir, "172.19.0.12");
    expect(await dbStatuses(lab, "tibero1")).toEqual({ tibero1: "UP(NRML)", tibero2: "DOWN" });

    const failed = await lab.run("tibero2", "tbboot", []);
    expect(failed.code).toBe(1);
    expect(parseTbboot(failed.stderr).errors[0]?.code).toBe(1210);
    await bootFail(lab.stateDir, "tibero2", false);
    expect(parseTbboot(must(await lab.run("tibero2", "tbboot", []), "tbboot").stdout).startedMode).toBe("NORMAL");

    await instanceDown(lab.stateDir, "tibero1");
    expect(await dbStatuses(lab, "tibero2")).toEqual({ tibero1: "DOWN", tibero2: "UP(NRML)" });
  });

  it("a node goes down: its commands fail like an unreachable host and its CM leaves the cluster view", async () => {
    const lab = await makeLab(seedTopology());
    await createTac(lab, "cls_tibero");
    await nodeDown(lab.stateDir, "cm_tibero1");
    expect((await lab.run("tibero1", "tbsql", ["sys/tibero"], { stdin: "SELECT * FROM V$LOG;" })).code).toBe(255);
    expect(await dbStatuses(lab, "tibero2")).toEqual({ tibero2: "UP(NRML)" });
    await nodeUp(lab.stateDir, "tibero1");
    expect((await lab.run("tibero1", "cmrctl", ["show", "all"])).stderr).toContain("Is CM running?");
    must(await lab.run("tibero1", "tbcm", ["-b"]), "tbcm");
    must(await lab.run("tibero1", "tbboot", []), "tbboot");
    expect(await dbStatuses(lab, "tibero2")).toEqual({ tibero1: "UP(NRML)", tibero2: "UP(NRML)" });
  });
});
