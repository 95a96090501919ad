// The GBase probe against the BUILT simulators (gcadmin, python) and real `ls` of the simulated gcware
// data directories, through the local runner; faults from lab/faults/gbase.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeGcware, hangFlush } from "../../../lab/faults/gbase";
import { bundleSimulators, pollUntil } from "../../status/built-sims";
import { localRunner } from "../../status/local-runner";
import type { ClusterObservation, ProbeTarget, RemoteRunner } from "../../status/types";
import { listSnapshotsArgv, probeGbase, type GcwareSnapshotPanelRow } from "./status";

const HOSTS = [
  { host: "gb1", coordinator: "coordinator1", data: "node1", ip: "10.0.2.102" },
  { host: "gb2", coordinator: "coordinator2", data: "node2", ip: "10.0.2.202" },
  { host: "gb3", coordinator: "coordinator3", data: "node3", ip: "10.0.2.203" },
] as const;

let sims: Awaited<ReturnType<typeof bundleSimulators>>;
let root: string;
let stateDir: string;
let run: RemoteRunner;

beforeAll(async () => {
  sims = await bundleSimulators(["gcadmin", "python"]);
}, 60_000);
afterAll(() => sims?.dispose());

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "keel-gb-status-"));
  stateDir = path.join(root, "state");
  mkdirSync(stateDir);
  const baseOf = (name: string) => path.join(root, "hosts", name, "gcware");
  writeFileSync(
    path.join(stateDir, "topology.json"),
    JSON.stringify({
      version: "V952",
      initialSnapshot: { term: 142, index: 37975 },
      coordinators: HOSTS.map((h) => ({ name: h.coordinator, ip: h.ip, gcwareBase: baseOf(h.coordinator) })),
      dataNodes: HOSTS.map((h) => ({ name: h.data, ip: h.ip, distributionId: 6 })),
    }),
  );
  run = localRunner(
    Object.fromEntries(
      HOSTS.map((h) => [
        h.host,
        { env: { KEEL_LAB_STATE: stateDir, KEEL_LAB_HOST: h.ip, GCWARE_BASE: baseOf(h.coordinator), KEEL_LAB_TIME_SCALE: "0.005" }, path: [sims.binDir] },
      ]),
    ),
  );
  return () => rmSync(root, { recursive: true, force: true });
});

const target: ProbeTarget = {
  engine: "GBASE",
  version: "V952",
  // Each host's own $GCWARE_BASE wins over this fallback (the lab sets it per host).
  settings: { GCWARE_BASE: "/opt/gcware" },
  nodes: HOSTS.flatMap((h) => [
    { name: h.coordinator, type: "coordinator", role: "", group: null, hostName: h.host, hostAddress: h.ip },
    { name: h.data, type: "data", role: "", group: null, hostName: h.host, hostAddress: h.ip },
  ]),
};
const snapshots = (o: ClusterObservation) => o.panels.gcwareSnapshots as GcwareSnapshotPanelRow[];
const node = (o: ClusterObservation, name: string) => o.nodes.find((n) => n.name === name);

describe("GBase prober on the built simulator", () => {
  it("a healthy cluster: both tables as nodes, every gcware node's newest snapshot and REDOLOG sizes", async () => {
    const o = await probeGbase(target, run);
    expect(o.errors).toEqual([]);
    expect(o).toMatchObject({ health: "healthy", reason: "all 6 nodes OPEN, DataState 0" });
    expect(node(o, "coordinator2")).toMatchObject({
      type: "coordinator",
      desired: "OPEN",
      actual: "OPEN",
      mismatch: false,
      detail: { IpAddress: "10.0.2.202", gcware: "OPEN", gcluster: "OPEN", DataState: "0" },
    });
    expect(node(o, "node3")).toMatchObject({ type: "data", mismatch: false, detail: { DistributionId: "6", gnode: "OPEN", syncserver: "OPEN" } });
    expect(snapshots(o).map((s) => [s.node, s.host, s.newest, s.inProgress, s.redologs.map((r) => r.sizeBytes)])).toEqual(
      HOSTS.map((h) => [h.coordinator, h.host, "142.37975", [], [320, 844096]]),
    );
  });

  it("a closed gcware is a mismatch on its row; all closed is down", async () => {
    closeGcware(stateDir, "coordinator1");
    const one = await probeGbase(target, run);
    expect(one.health).toBe("degraded");
    expect(node(one, "coordinator1")).toMatchObject({ actual: "gcware CLOSE", mismatch: true, detail: { gcware: "CLOSE" } });
    expect(one.reason).toContain("coordinator coordinator1: gcware CLOSE");

    closeGcware(stateDir, "coordinator2");
    closeGcware(stateDir, "coordinator3");
    const none = await probeGbase(target, run);
    expect(none.health).toBe("down");
    expect(none.errors.map((e) => e.host)).toEqual(["gb1", "gb2", "gb3"]);
    expect(none.errors[0]?.message).toBe("gcadmin exited with 1: Could not initialize CRM instance error: [122]->[can not connect to any server]");
  });

  it("a coordinator host that fails: gcadmin is asked on the next one, the failure is that host's error", async () => {
    const gb1Gone: RemoteRunner = async (host, argv, opts) =>
      host === "gb1" ? { ok: false, message: "unreachable host gb1: connect ETIMEDOUT", exitCode: null, stdout: "", stderr: "" } : run(host, argv, opts);
    const o = await probeGbase(target, gb1Gone);
    expect(o.panels.gbase).toMatchObject({ gcadminHost: "gb2" });
    expect(o.nodes).toHaveLength(6);
    expect(o.errors).toEqual([
      { host: "gb1", message: "unreachable host gb1: connect ETIMEDOUT" },
      { host: "gb1", message: "listing the gcware data directory: unreachable host gb1: connect ETIMEDOUT" },
    ]);
    expect(o.health).toBe("degraded");
  });

  it("a flush: newer snapshots where it finished, the `.s` where it hangs", async () => {
    hangFlush(stateDir, "coordinator3");
    const sent = await run("gb1", ["python", "-c", "import gcware; print(gcware.flush_statemachine())"]);
    expect(sent).toMatchObject({ ok: true, stdout: "1\n" });
    const o = await pollUntil(
      () => probeGbase(target, run),
      (x) => snapshots(x).filter((s) => s.newest !== "142.37975").length === 2,
      5_000,
      "two flushed gcware nodes",
    );
    const [s1, s2, s3] = snapshots(o);
    expect(s1?.newest).toBe(s2?.newest);
    expect(s1?.inProgress).toEqual([]);
    expect(s1?.redologs.every((r) => r.sizeBytes === 320)).toBe(true);
    expect(s3).toMatchObject({ newest: "142.37975", inProgress: [expect.stringMatching(/^142\.\d+$/)] });
  });

  it("a garbled listing is that host's error naming the line; the rest still reports", async () => {
    const garbled: RemoteRunner = async (host, argv, opts) => {
      const outcome = await run(host, argv, opts);
      return host === "gb2" && argv.includes("sh") ? { ...outcome, stdout: outcome.stdout.replace(/^(drwx\S+\s+\d+\s+\S+)\s.*$/m, "$1") } : outcome;
    };
    const o = await probeGbase(target, garbled);
    expect(o.health).toBe("degraded");
    expect(o.nodes).toHaveLength(6);
    expect(o.errors).toEqual([{ host: "gb2", message: expect.stringMatching(/^ls of the gcware data directory output unreadable at line 6 \(not an `ls -l` line\): "drwx/) }]);
    expect(snapshots(o)[1]).toMatchObject({ node: "coordinator2", newest: null });
  });
});

describe("listSnapshotsArgv", () => {
  it("passes the setting as an argument, never inside the script; a per-node override is a plain ls", () => {
    expect(listSnapshotsArgv({ GCWARE_BASE: "/opt/gcware/" }, "c1")).toEqual(["sh", "-c", expect.stringContaining('"${GCWARE_BASE:-$1}/data/gcware"'), "sh", "/opt/gcware"]);
    expect(listSnapshotsArgv({ GCWARE_BASE: "/opt/gcware", "GCWARE_BASE@c1": "/srv/c1" }, "c1")).toEqual(["env", "LC_ALL=C", "ls", "-l", "--time-style=long-iso", "--", "/srv/c1/data/gcware"]);
    expect(listSnapshotsArgv({ GCWARE_BASE: "/opt/$(reboot)" }, "c1")).toMatch(/^GCWARE_BASE setting: /);
  });
});
