import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, SealedValueError } from "./secret-box";

const key = randomBytes(32);

describe("secret box", () => {
  it("opens what it sealed, and the envelope does not contain the plaintext", () => {
    const sealed = seal("hunter2-very-secret", "cred-1", key);
    expect(sealed).not.toContain("hunter2");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(open(sealed, "cred-1", key)).toBe("hunter2-very-secret");
  });

  it("uses a fresh IV each time", () => {
    expect(seal("same", "c", key)).not.toBe(seal("same", "c", key));
  });

  it("refuses a value moved to another row (context is authenticated)", () => {
    const sealed = seal("secret", "cred-1", key);
    expect(() => open(sealed, "cred-2", key)).toThrow(SealedValueError);
  });

  it("refuses a tampered ciphertext and a wrong key", () => {
    const sealed = seal("secret", "cred-1", key);
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    expect(() => open([parts[0], parts[1], parts[2], ct.toString("base64url")].join("."), "cred-1", key)).toThrow(SealedValueError);
    expect(() => open(sealed, "cred-1", randomBytes(32))).toThrow(SealedValueError);
  });

  it("refuses something that is not an envelope", () => {
    expect(() => open("plain text", "c", key)).toThrow(/not a Keel sealed value/);
  });
});
