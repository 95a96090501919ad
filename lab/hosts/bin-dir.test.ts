import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { traversableByOthers } from "./bin-dir";

const dir = mkdtempSync(path.join(tmpdir(), "keel-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("detects a checkout other users cannot reach (then the simulators are copied out)", () => {
  const bin = path.join(dir, "repo", "lab", ".build", "bin");
  mkdirSync(bin, { recursive: true });
  chmodSync(dir, 0o755);
  expect(traversableByOthers(bin)).toBe(true);
  chmodSync(path.join(dir, "repo"), 0o700);
  expect(traversableByOthers(bin)).toBe(false);
});
