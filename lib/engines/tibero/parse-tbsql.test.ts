import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTbboot, parseTbsqlOutcomes } from "./parse-tbsql";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("tbsql / tbboot transcripts (seed 001)", () => {
  it("reads CREATE DATABASE's outcome", () => {
    expect(parseTbsqlOutcomes(fixture("tbsql-create-database.txt"))).toEqual([{ kind: "database-created", lineNumber: 25 }]);
  });

  it("reads the undo tablespace and thread 1 session in order", () => {
    expect(parseTbsqlOutcomes(fixture("tbsql-undo-and-thread1.txt")).map((o) => o.kind + ("name" in o ? `:${o.name}` : ""))).toEqual([
      "tablespace-created:UNDO1",
      "database-altered",
      "database-altered",
      "database-altered",
      "database-altered",
    ]);
  });

  it("reads the SYSSUB tablespace creation", () => {
    expect(parseTbsqlOutcomes(fixture("tbsql-create-syssub.txt"))).toEqual([{ kind: "tablespace-created", name: "SYSSUB", lineNumber: 5 }]);
  });

  it("reads TBR errors with their code", () => {
    expect(parseTbsqlOutcomes("SQL> TBR-1010: Log group 2 is already in use.\n")).toEqual([
      { kind: "error", code: 1010, message: "Log group 2 is already in use.", lineNumber: 1 },
    ]);
  });

  it("reads tbboot's NOMOUNT start", () => {
    expect(parseTbboot(fixture("tbboot-nomount.txt"))).toEqual({ startedMode: "NOMOUNT", listenerPort: "xxxx", errors: [] });
    expect(parseTbboot("TBR-1201: Failed to connect to CM.\n").errors).toEqual([{ code: 1201, message: "Failed to connect to CM.", lineNumber: 1 }]);
  });
});
