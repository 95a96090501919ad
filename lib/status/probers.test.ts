import { describe, expect, it } from "vitest";
import { judge, sentence } from "./health";
import { PROBERS, probe } from "./probers";
import type { ProbeTarget, RemoteRunner } from "./types";

const nothingAnswers: RemoteRunner = async () => ({ ok: false, message: "connect ECONNREFUSED", exitCode: null, stdout: "", stderr: "" });
const node = (type: string, role = "") => ({ name: type === "server" ? "10.0.0.5:5432" : `${type}1`, type, role, group: null, hostName: "h", hostAddress: "10.0.0.5" });

const TARGETS: ProbeTarget[] = [
  { engine: "MACHBASE", version: "6.5", settings: {}, nodes: [node("coordinator", "primary")] },
  { engine: "GBASE", version: "V952", settings: { GCWARE_BASE: "/opt/gcware" }, nodes: [node("coordinator")] },
  { engine: "TIBERO", version: "7", settings: {}, nodes: [node("instance")] },
  { engine: "PROSYNC", version: "4", settings: {}, nodes: [node("agent")] },
  { engine: "POSTGRESQL", version: "15", settings: { PGPORT: 5432 }, nodes: [node("server", "primary")] },
];

describe("probers", () => {
  it("has one prober per engine", () => {
    expect(Object.keys(PROBERS).sort()).toEqual(["GBASE", "MACHBASE", "POSTGRESQL", "PROSYNC", "TIBERO"]);
  });
  it.each(TARGETS)("$engine: an unreachable host is down with the error named, never a throw", async (target) => {
    const o = await probe(target, nothingAnswers);
    expect(o.health).toBe("down");
    expect(o.errors.length).toBeGreaterThan(0);
    expect(o.errors.every((e) => e.host === "h" && e.message.includes("ECONNREFUSED"))).toBe(true);
  });
  it("a runner that throws is still an observation", async () => {
    const throwing: RemoteRunner = async () => {
      throw new Error("boom");
    };
    for (const target of TARGETS) expect((await probe(target, throwing)).health).toBe("down");
  });
});

describe("health", () => {
  it("healthy with nothing wrong, degraded naming problems then host errors", () => {
    expect(judge([], [], "fine")).toEqual({ health: "healthy", reason: "fine" });
    expect(judge(["group1 readonly"], [{ host: "h", message: "x" }], "fine")).toEqual({ health: "degraded", reason: "group1 readonly; h: x" });
  });
  it("bounds a long reason", () => {
    expect(sentence(Array.from({ length: 10 }, (_, i) => `p${i}`))).toBe("p0; p1; p2; p3; p4; p5; and 4 more");
  });
});
