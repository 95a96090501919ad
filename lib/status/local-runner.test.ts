import { describe, expect, it } from "vitest";
import { localRunner } from "./local-runner";

const run = localRunner({ h1: { env: { KEEL_LAB_HOST: "10.0.0.1" } }, h2: { env: { KEEL_LAB_HOST: "10.0.0.2" } } }, { defaultTimeoutMs: 5_000 });

describe("localRunner", () => {
  it("runs argv with the host's environment, bytes as given (no shell)", async () => {
    expect(await run("h2", ["sh", "-c", 'printf "%s|%s" "$KEEL_LAB_HOST" "$1"', "sh", "$(echo no) 'q' ;"])).toEqual({
      ok: true,
      exitCode: 0,
      stdout: "10.0.0.2|$(echo no) 'q' ;",
      stderr: "",
    });
  });
  it("feeds stdin", async () => {
    expect(await run("h1", ["cat"], { stdin: "status\nexit\n" })).toMatchObject({ ok: true, stdout: "status\nexit\n" });
  });
  it("reports non-zero exits as ran, and transport-like failures as not", async () => {
    expect(await run("h1", ["sh", "-c", "echo oops >&2; exit 3"])).toEqual({ ok: true, exitCode: 3, stdout: "", stderr: "oops\n" });
    expect(await run("h1", ["no-such-tool-keel"])).toMatchObject({ ok: false, exitCode: 127, message: "command not found: no-such-tool-keel" });
    expect(await run("nowhere", ["true"])).toMatchObject({ ok: false, message: expect.stringContaining("unreachable host nowhere") });
    expect(await run("h1", ["sh", "-c", "echo 'lab: host x is down' >&2; exit 255"])).toMatchObject({ ok: false, exitCode: 255, message: "unreachable host h1: lab: host x is down" });
    expect(await run("h1", ["sleep", "5"], { timeoutMs: 100 })).toMatchObject({ ok: false, message: "timed out after 100 ms: sleep" });
  });
});
