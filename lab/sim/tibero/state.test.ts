import { mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseShowAll } from "../../../lib/engines/tibero/parse-cmrctl";
import { disposeLabs, makeLab } from "./lab-harness";
import { isStale } from "./lock";
import { StateSchema } from "./state";
import { seedTopology } from "./topology";

afterAll(disposeLabs);

describe("state store", () => {
  it("loses no update under many concurrent in-process transactions", async () => {
    const lab = await makeLab(seedTopology());
    await lab.run("tibero1", "tbcm", ["-b"]);
    await lab.run("tibero2", "tbcm", ["-b"]);
    await lab.run("tibero1", "cmrctl", ["add", "group", "--name", "G", "--cname", "cls_tibero", "--grptype", "prosync"]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => lab.run(i % 2 ? "tibero1" : "tibero2", "cmrctl", ["add", "agent", "--name", `a${i}`, "--grpname", "G", "--script", `/opt/a${i}.sh`])),
    );
    expect(results.every((r) => r.code === 0)).toBe(true);
    const shown = parseShowAll((await lab.run("tibero1", "cmrctl", ["show", "all"])).stdout);
    if (!shown.ok) throw new Error(shown.error.message);
    expect(shown.value.nodes.map((n) => n.resources.filter((r) => r.type === "agent").length)).toEqual([20, 20]);
    StateSchema.parse(JSON.parse(await readFile(path.join(lab.stateDir, "state.json"), "utf8")));
  });

  it("judges locks: live holder kept, dead holder, orphan and ancient locks broken", async () => {
    const lab = await makeLab(seedTopology());
    const lockDir = path.join(lab.stateDir, "state.lock");
    await mkdir(lockDir);
    const now = Date.now();
    await writeFile(path.join(lockDir, "owner"), `${process.pid} ${now}\n`);
    expect(await isStale(lockDir, now)).toBe(false);
    expect(await isStale(lockDir, now + 61_000)).toBe(true);
    await writeFile(path.join(lockDir, "owner"), "999999 0\n");
    expect(await isStale(lockDir, now)).toBe(true);
    await rm(path.join(lockDir, "owner"));
    expect(await isStale(lockDir, now)).toBe(false);
    const old = new Date(now - 11_000);
    await utimes(lockDir, old, old);
    expect(await isStale(lockDir, now)).toBe(true);
  });

  it("freezes the topology at first use and refuses a malformed one with a clear error", async () => {
    const used = await makeLab(seedTopology());
    expect((await used.run("tibero1", "tbcm", ["-b"])).code).toBe(0);
    await writeFile(path.join(used.stateDir, "topology.json"), JSON.stringify({ clusters: [] }));
    expect((await used.run("tibero2", "tbcm", ["-b"])).code).toBe(0);
    const lab = await makeLab(seedTopology());
    await writeFile(path.join(lab.stateDir, "topology.json"), JSON.stringify({ clusters: [] }));
    await expect(lab.run("tibero1", "tbcm", ["-b"])).rejects.toThrow(/^lab: invalid .*topology.json: clusters: /);
  });
});
