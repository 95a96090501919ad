// Bundles every simulator entry point in lab/sim/bin/*.ts into an executable in lab/.build/bin/<tool>,
// so that a lab host runs `machcoordinatoradmin` as a plain node program with no TypeScript loader.
import { build } from "esbuild";
import { chmod, mkdir, readdir } from "node:fs/promises";
import path from "node:path";

const root = path.dirname(new URL(import.meta.url).pathname);
const entryDir = path.join(root, "sim", "bin");
const outDir = path.join(root, ".build", "bin");

export async function buildSimulators(): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  let entries: string[] = [];
  try {
    entries = (await readdir(entryDir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  } catch {
    return [];
  }
  const tools: string[] = [];
  for (const file of entries) {
    const tool = file.replace(/\.ts$/, "");
    const outfile = path.join(outDir, tool);
    await build({
      entryPoints: [path.join(entryDir, file)],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      banner: { js: "#!/usr/bin/env node" },
      logLevel: "warning",
    });
    await chmod(outfile, 0o755);
    tools.push(tool);
  }
  return tools;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const tools = await buildSimulators();
  console.log(`built ${tools.length} simulator(s) into ${path.relative(process.cwd(), outDir)}: ${tools.join(", ")}`);
}
