import { describe, expect, it } from "vitest";
import { readFixture } from "./fixtures";
import { flushRequestSent, parseFlushReplies } from "./parse-python";
import { parseServiceActions } from "./parse-services";
import { renderServiceLine } from "./render";

describe("service script lines", () => {
  it("parses the seed's start and stop lines and renders them byte for byte", () => {
    for (const [fixture, verb] of [
      ["servicesGcwareStart", "Starting"],
      ["servicesGcwareStop", "Stopping"],
    ] as const) {
      const text = readFixture(fixture);
      const r = parseServiceActions(text);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toEqual({ actions: [{ verb, service: "gcware", outcome: "OK" }], otherLines: [] });
      expect(renderServiceLine({ verb, service: "gcware", outcome: "OK" }) + "\n").toBe(text);
    }
  });

  it("reads FAILED and keeps other lines", () => {
    const text = `${renderServiceLine({ verb: "Starting", service: "gcware", outcome: "FAILED" })}\nsomething else\n`;
    const r = parseServiceActions(text);
    expect(r.ok && r.value).toEqual({ actions: [{ verb: "Starting", service: "gcware", outcome: "FAILED" }], otherLines: ["something else"] });
  });
});

describe("python flush replies", () => {
  it("reads the seed's four-flush session", () => {
    const r = parseFlushReplies(readFixture("pythonFlushFourTimes"));
    expect(r.ok && r.value).toEqual({ replies: [1, 1, 1, 1], pythonErrors: [] });
    expect(r.ok && flushRequestSent(r.value)).toBe(true);
  });

  it("reads the seed's session with the `quit` hint", () => {
    const r = parseFlushReplies(readFixture("pythonFlushThenQuit"));
    expect(r.ok && r.value).toEqual({ replies: [1], pythonErrors: [] });
  });

  it("reads bare stdout and prompts sharing a line with the reply", () => {
    expect(parseFlushReplies("1\n")).toEqual({ ok: true, value: { replies: [1], pythonErrors: [] } });
    expect(parseFlushReplies(">>> >>> 1\n>>> \n")).toEqual({ ok: true, value: { replies: [1], pythonErrors: [] } });
  });

  it("collects Python errors", () => {
    const text = 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nImportError: No module named gcware\n';
    const r = parseFlushReplies(text);
    expect(r.ok && r.value).toEqual({ replies: [], pythonErrors: ["ImportError: No module named gcware"] });
    expect(r.ok && flushRequestSent(r.value)).toBe(false);
  });

  it("names a garbled line", () => {
    const r = parseFlushReplies("1\nbash: python: command not found\n");
    expect(r).toEqual({ ok: false, error: { message: "unexpected line in python output", line: "bash: python: command not found", lineNumber: 2 } });
  });
});
