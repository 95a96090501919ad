import { describe, expect, it } from "vitest";
import { flushStatemachineArgv, gcwareServiceArgv, listGcwareDataDirArgv } from "./commands";

describe("GBase argv builders", () => {
  it("picks the gcware service script by version", () => {
    expect(gcwareServiceArgv("V952", "start")).toEqual(["gcluster_services", "gcware", "start"]);
    expect(gcwareServiceArgv("V953", "stop")).toEqual(["gcware_services", "gcware", "stop"]);
  });

  it("prints the flush reply so a non-interactive python shows it", () => {
    expect(flushStatemachineArgv()).toEqual(["python", "-c", "import gcware; print(gcware.flush_statemachine())"]);
  });

  it("lists $GCWARE_BASE/data/gcware and refuses paths that are not plain absolute paths", () => {
    expect(listGcwareDataDirArgv("/opt/gcware/")).toEqual(["env", "LC_ALL=C", "ls", "-l", "/opt/gcware/data/gcware"]);
    for (const bad of ["opt/gcware", "/opt/$(reboot)", "/opt/../etc", "/opt/a b"]) expect(() => listGcwareDataDirArgv(bad)).toThrow();
  });
});
