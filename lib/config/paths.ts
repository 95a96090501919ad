import path from "node:path";

/** The repository root: every runtime file Keel keeps for itself lives under `<root>/.data` (git-ignored). */
export const repoRoot = process.env.KEEL_ROOT ?? process.cwd();
export const dataDir = process.env.KEEL_DATA_DIR ?? path.join(repoRoot, ".data");
