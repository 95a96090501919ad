import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "./paths";

/**
 * Returns the secret from `envValue` when set, else from `<dataDir>/<fileName>`, generating 32 random
 * bytes there (mode 600) on first use. Written with O_EXCL so two processes starting at once agree.
 */
export function fileSecret(envValue: string | undefined, fileName: string): Buffer {
  if (envValue && envValue.trim() !== "") return Buffer.from(envValue.trim(), "base64");
  const file = path.join(dataDir, fileName);
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch {
      // Another process created it first; read theirs.
    }
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  }
}
