import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quoteArg, quoteArgv, UnsafeArgumentError } from "./quote";

describe("quoteArgv", () => {
  it("single-quotes every argument and escapes embedded quotes", () => {
    expect(quoteArgv(["echo", "it's", "", "$(x)"])).toBe(`'echo' 'it'\\''s' '' '$(x)'`);
  });

  it("rejects NUL bytes with a typed error naming the argument", () => {
    expect(() => quoteArgv(["ok", "a\0b"])).toThrow(UnsafeArgumentError);
    try {
      quoteArgv(["ok", "a\0b"]);
    } catch (err) {
      expect(err).toMatchObject({ index: 1, reason: "nul-byte" });
    }
  });

  it("round-trips through a local POSIX shell (dash) byte for byte", () => {
    const arg = fc.string({ unit: "binary", maxLength: 30 }).map((s) => s.replaceAll("\0", "")).filter((s) => Buffer.from(s).toString() === s);
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 40 }), (values) => {
        const out = execFileSync("/bin/sh", ["-c", `printf '%s\\0' ${values.map((v) => quoteArg(v)).join(" ")}`]).toString();
        expect(out).toBe(values.map((v) => `${v}\0`).join(""));
      }),
      { numRuns: 30 },
    );
  });
});
