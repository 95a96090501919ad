// Bundles the simulator entry points lab/sim/bin/<tool>.ts into executables (default lab/.build/bin/<tool>),
// so that a lab host runs `machcoordinatoradmin` as a plain node program with no TypeScript loader.
import { build } from "esbuild";
import { chmod, mkdir, readdir, rename } from "node:fs/promises";
import path from "node:path";
import { isMainModule } from "../scripts/db/cli";

const root = path.dirname(new URL(import.meta.url).pathname);
const entryDir = path.join(root, "sim", "bin");
export const defaultSimBinDir = path.join(root, ".build", "bin");

export type BuildOptions = {
  /** Where the executables go (tests use a private directory). */
  outDir?: string;
  /** Only these tools; default every entry point. */
  tools?: readonly string[];
};

/**
 * Each tool is written to a temporary name and renamed into place, so a lab host executing a tool
 * while another process rebuilds never runs a half-written file.
 */
export async function buildSimulators(options: BuildOptions = {}): Promise<string[]> {
  const outDir = options.outDir ?? defaultSimBinDir;
  await mkdir(outDir, { recursive: true });
  const available = (await readdir(entryDir).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.replace(/\.ts$/, ""));
  const tools = options.tools ?? available;
  const missing = tools.filter((t) => !available.includes(t));
  if (missing.length) throw new Error(`no simulator entry point for: ${missing.join(", ")}`);
  await Promise.all(
    tools.map(async (tool) => {
      const outfile = path.join(outDir, tool);
      const temp = `${outfile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await build({
        entryPoints: [path.join(entryDir, `${tool}.ts`)],
        outfile: temp,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "esm",
        banner: { js: "#!/usr/bin/env node" },
        logLevel: "warning",
      });
      await chmod(temp, 0o755);
      await rename(temp, outfile);
    }),
  );
  return [...tools];
}

if (isMainModule(import.meta.url)) {
  const tools = await buildSimulators();
  console.log(`built ${tools.length} simulator(s) into ${path.relative(process.cwd(), defaultSimBinDir)}: ${tools.join(", ")}`);
}
