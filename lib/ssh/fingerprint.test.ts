import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fingerprintOfPublicKeyLine, isSha256Fingerprint, keyTypeOfBlob } from "./fingerprint";

const dir = mkdtempSync(path.join(tmpdir(), "keel-fp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sha256 fingerprints", () => {
  it.each(["ed25519", "ecdsa", "rsa"])("match ssh-keygen -lf for %s keys", (type) => {
    const key = path.join(dir, `k-${type}`);
    execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", key]);
    const line = readFileSync(`${key}.pub`, "utf8");
    const expected = execFileSync("ssh-keygen", ["-lf", `${key}.pub`]).toString().split(/\s+/)[1];
    expect(fingerprintOfPublicKeyLine(line)).toBe(expected);
    expect(isSha256Fingerprint(expected!)).toBe(true);
    expect(keyTypeOfBlob(Buffer.from(line.split(" ")[1]!, "base64"))).toBe(line.split(" ")[0]);
  });
});
