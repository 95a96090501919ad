import { describe, expect, it } from "vitest";
import { redact } from "./redact";

describe("redact", () => {
  it("replaces secret-named keys at any depth and keeps the rest", () => {
    expect(redact({ name: "k", secret: "s", nested: { passphrase: "p", list: [{ privateKey: "x", ok: 1 }] }, password: "pw" })).toEqual({
      name: "k",
      secret: "[redacted]",
      nested: { passphrase: "[redacted]", list: [{ privateKey: "[redacted]", ok: 1 }] },
      password: "[redacted]",
    });
  });
});
