import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cmUiPortFromTip, validateClusterTips, type Finding, type TipInput } from "./validate-tips";

const seedTip = readFileSync(path.join(import.meta.dirname, "fixtures", "tb_sid.tip"), "utf8");

/** The seed's tip for instance 0, and a second instance on another node with thread 1 / UNDO1. */
function cluster(edit0 = (t: string) => t, edit1 = (t: string) => t): TipInput[] {
  const second = seedTip.replace("THREAD=0", "THREAD=1").replace("UNDO0", "UNDO1").replace("192.168.1.1", "192.168.1.2");
  return [
    { fileName: "tibero1.tip", text: edit0(seedTip), host: "node1", cmUiPort: 30000 },
    { fileName: "tibero2.tip", text: edit1(second), host: "node2", cmUiPort: 30000 },
  ];
}

function findings(inputs: TipInput[], creating = true): Finding[] {
  const r = validateClusterTips(inputs, { creating });
  if (!r.ok) throw new Error(r.error);
  return r.findings;
}

const brief = (fs: Finding[]) => fs.map((f) => [f.severity, f.file, f.line, f.key]);

describe("validateClusterTips", () => {
  it("accepts the seed's tip and its second-instance counterpart", () => {
    expect(findings(cluster())).toEqual([]);
  });

  it("CLUSTER_DATABASE must be Y (named by file and line)", () => {
    const fs = findings(cluster((t) => t.replace("CLUSTER_DATABASE=Y", "CLUSTER_DATABASE=N")));
    expect(brief(fs)).toEqual([["error", "tibero1.tip", 4, "CLUSTER_DATABASE"]]);
    expect(fs[0]?.fix).toBe("Set CLUSTER_DATABASE=Y.");
    expect(brief(findings(cluster((t) => t.replace("CLUSTER_DATABASE=Y\n", ""))))).toEqual([["error", "tibero1.tip", 0, "CLUSTER_DATABASE"]]);
  });

  it("THREAD and UNDO_TABLESPACE unique per instance", () => {
    const fs = findings(cluster(undefined, (t) => t.replace("THREAD=1", "THREAD=0").replace("UNDO1", "undo0")));
    expect(brief(fs)).toEqual([
      ["error", "tibero2.tip", 5, "THREAD"],
      ["error", "tibero2.tip", 6, "UNDO_TABLESPACE"],
    ]);
    expect(fs[0]?.message).toContain("also used by tibero1.tip");
  });

  it("creating: the first instance runs THREAD=0 / UNDO0; not checked otherwise", () => {
    const swapped = cluster().reverse();
    expect(brief(findings(swapped))).toEqual([
      ["error", "tibero2.tip", 5, "THREAD"],
      ["error", "tibero2.tip", 6, "UNDO_TABLESPACE"],
    ]);
    expect(findings(swapped, false)).toEqual([]);
  });

  it("THREAD below MAXINSTANCES when known", () => {
    const r = validateClusterTips(cluster(), { maxInstances: 1 });
    expect(r.ok && brief(r.findings)).toEqual([["error", "tibero2.tip", 5, "THREAD"]]);
  });

  it("LOCAL_CLUSTER_ADDR/PORT present; ports distinct per host", () => {
    expect(brief(findings(cluster((t) => t.replace(/LOCAL_CLUSTER_.*\n/g, ""))))).toEqual([
      ["error", "tibero1.tip", 0, "LOCAL_CLUSTER_ADDR"],
      ["error", "tibero1.tip", 0, "LOCAL_CLUSTER_PORT"],
    ]);
    const sameHost = cluster();
    const second = sameHost[1];
    if (second) second.host = "node1";
    expect(brief(findings(sameHost))).toEqual([["error", "tibero2.tip", 8, "LOCAL_CLUSTER_PORT"]]);
    expect(findings(cluster())).toEqual([]); // the same port on different hosts is fine
    expect(brief(findings(cluster((t) => t.replace("12345", "30000"))))).toEqual([["error", "tibero1.tip", 8, "LOCAL_CLUSTER_PORT"]]);
  });

  it("CM_PORT equals the node's CM_UI_PORT", () => {
    const inputs = cluster();
    const first = inputs[0];
    if (first) first.cmUiPort = 8645;
    const fs = findings(inputs);
    expect(brief(fs)).toEqual([["error", "tibero1.tip", 9, "CM_PORT"]]);
    expect(fs[0]?.fix).toBe("Set CM_PORT=8645.");
    expect(brief(findings(cluster((t) => t.replace("CM_PORT=30000\n", ""))))).toEqual([["error", "tibero1.tip", 0, "CM_PORT"]]);
  });

  it("memory: DB_CACHE_SIZE about half of TOTAL_SHM_SIZE, TOTAL_SHM_SIZE below MEMORY_TARGET, units parsed", () => {
    expect(findings(cluster((t) => t.replace("DB_CACHE_SIZE=2048M", "DB_CACHE_SIZE=2G")))).toEqual([]);
    expect(brief(findings(cluster((t) => t.replace("DB_CACHE_SIZE=2048M", "DB_CACHE_SIZE=3G"))))).toEqual([["warning", "tibero1.tip", 3, "DB_CACHE_SIZE"]]);
    expect(brief(findings(cluster((t) => t.replace("DB_CACHE_SIZE=2048M", "DB_CACHE_SIZE=4G"))))).toEqual([["error", "tibero1.tip", 3, "DB_CACHE_SIZE"]]);
    const shm = findings(cluster((t) => t.replace("TOTAL_SHM_SIZE=4096M", "TOTAL_SHM_SIZE=6G")));
    expect(brief(shm)).toEqual([["error", "tibero1.tip", 2, "TOTAL_SHM_SIZE"]]);
    expect(brief(findings(cluster((t) => t.replace("MEMORY_TARGET=6144M", "MEMORY_TARGET=lots"))))).toEqual([["error", "tibero1.tip", 1, "MEMORY_TARGET"]]);
  });

  it("a pasted file that does not parse is a finding naming the line", () => {
    const fs = findings(cluster((t) => t.replace("THREAD=0", "THREAD 0")));
    expect(brief(fs)).toEqual([["error", "tibero1.tip", 5, ""]]);
    expect(fs[0]?.message).toBe("expected KEY=VALUE or a # comment: THREAD 0");
  });

  it("refuses malformed input as a value", () => {
    expect(validateClusterTips([{ fileName: "", text: "", host: "h" }])).toMatchObject({ ok: false });
    expect(validateClusterTips([])).toMatchObject({ ok: false });
  });
});

describe("cmUiPortFromTip", () => {
  it("reads CM_UI_PORT from the seed's cm tip", () => {
    expect(cmUiPortFromTip(readFileSync(path.join(import.meta.dirname, "fixtures", "cm_tibero1.tip"), "utf8"))).toBe(8645);
    expect(cmUiPortFromTip("CM_NAME=x\n")).toBeUndefined();
  });
});
