// The bundled executables as a lab host runs them: separate processes sharing one state directory,
// real time at a tiny scale, readiness by polling with a deadline.
import { buildSimulators } from "../../build-sims";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseGcadmin } from "../../../lib/engines/gbase/parse-gcadmin";
import { flushProgress } from "../../../lib/engines/gbase/snapshot-id";
import type { SnapshotId } from "../../../lib/engines/gbase/types";
import { clusterStateSchema } from "./state";
import { settle } from "./store";
import { COORDINATORS, listSnapshots, pollUntil } from "./testing";

const run = promisify(execFile);
const TOOLS = ["gcadmin", "gcluster_services", "gcware_services", "python"] as const;
type Tool = (typeof TOOLS)[number];
const binDir = mkdtempSync(path.join(tmpdir(), "keel-gbase-bin-"));

// A private build of just these tools, so parallel builds of the shared lab/.build cannot race with this test.
beforeAll(async () => {
  await buildSimulators({ outDir: binDir, tools: TOOLS });
});

function makeHosts() {
  const root = mkdtempSync(path.join(tmpdir(), "keel-gbase-exe-"));
  const stateDir = path.join(root, "state");
  mkdirSync(stateDir);
  // No gcwareBase in the topology: each host's own GCWARE_BASE tells the simulator where to write.
  writeFileSync(
    path.join(stateDir, "topology.json"),
    JSON.stringify({
      version: "V952",
      coordinators: COORDINATORS,
      dataNodes: COORDINATORS.map((c, i) => ({ name: `node${i + 1}`, ip: c.ip, distributionId: 6 })),
    }),
  );
  const baseOf = (name: string) => path.join(root, "hosts", name, "gcware");
  const exec = async (host: (typeof COORDINATORS)[number], tool: Tool, args: string[] = [], stdin?: string) => {
    const env = { ...process.env, KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: host.ip, GCWARE_BASE: baseOf(host.name), KEEL_LAB_TIME_SCALE: "0.005" };
    const pending = run(path.join(binDir, tool), args, { env });
    pending.child.stdin?.end(stdin ?? "");
    return pending.then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
    );
  };
  return { stateDir, baseOf, exec };
}

describe("the built simulators as child processes", () => {
  it("run the seed's procedure end to end, writing where each host's GCWARE_BASE points", async () => {
    const lab = makeHosts();
    for (const c of COORDINATORS) expect((await lab.exec(c, "gcluster_services", ["all", "stop"])).code).toBe(0);
    const before = new Map<string, SnapshotId | null>(COORDINATORS.map((c) => [c.name, listSnapshots(lab.baseOf(c.name)).newest]));
    for (const c of COORDINATORS) expect((await lab.exec(c, "gcluster_services", ["gcware", "start"])).stdout).toContain("[  OK  ]");

    const status = parseGcadmin((await lab.exec(COORDINATORS[0], "gcadmin")).stdout);
    expect(status.ok && status.value.status.coordinators.rows.map((r) => r.gcware)).toEqual(["OPEN", "OPEN", "OPEN"]);

    const flush = await lab.exec(COORDINATORS[1], "python", [], "import gcware\nprint gcware.flush_statemachine()\n");
    expect(flush).toEqual({ code: 0, stdout: "1\n", stderr: "" });

    // Lazy time: any simulator invocation materialises due transitions; then plain `ls -l` shows them.
    await pollUntil(async () => {
      await lab.exec(COORDINATORS[2], "gcluster_services", ["gcware", "status"]);
      const progress = COORDINATORS.map((c) => flushProgress(before.get(c.name) ?? null, listSnapshots(lab.baseOf(c.name))));
      return progress.every((p) => p === "completed") ? true : undefined;
    }, "every gcware node to finish its snapshot");
    for (const c of COORDINATORS) expect(listSnapshots(lab.baseOf(c.name)).redologs.every((r) => r.sizeBytes === 320)).toBe(true);
    for (const c of COORDINATORS) expect((await lab.exec(c, "gcluster_services", ["gcware", "stop"])).stdout).toContain("Stopping gcware");
    expect((await lab.exec(COORDINATORS[0], "gcadmin")).code).toBe(1);
  });

  it("keep the state consistent under concurrent invocations", async () => {
    const lab = makeHosts();
    const initial = settle(lab.stateDir);
    const flushes = 6;
    const results = await Promise.all([
      ...Array.from({ length: flushes }, (_, i) =>
        lab.exec(COORDINATORS[i % 3] ?? COORDINATORS[0], "python", ["-c", "import gcware; print(gcware.flush_statemachine())"]),
      ),
      ...Array.from({ length: 2 }, (_, i) => lab.exec(COORDINATORS[i % 3] ?? COORDINATORS[0], "gcadmin")),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(results.slice(0, flushes).every((r) => r.stdout === "1\n")).toBe(true);
    for (const r of results.slice(flushes)) expect(parseGcadmin(r.stdout).ok).toBe(true);
    const final = clusterStateSchema.parse(JSON.parse(readFileSync(path.join(lab.stateDir, "state.json"), "utf8")));
    expect(final.commitIndex).toBe(initial.commitIndex + flushes);
    expect(readdirSync(lab.stateDir).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp"))).toEqual([]);
  });
});
