// Adds up the unit/integration (vitest) and e2e (Playwright) reports into one closing line.
import { readFileSync } from "node:fs";
import { z } from "zod";

const vitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numPendingTests: z.number(), numTodoTests: z.number().default(0) });
const playwrightReport = z.object({ stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }) });

function read<T>(file: string, schema: z.ZodType<T>): T | null {
  try {
    return schema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

const unit = read("test-results/unit.json", vitestReport);
const e2e = read("test-results/e2e.json", playwrightReport);
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats.expected ?? 0);
const failed = (unit?.numFailedTests ?? 0) + (e2e ? e2e.stats.unexpected + e2e.stats.flaky : 0);
const skipped = (unit ? unit.numPendingTests + unit.numTodoTests : 0) + (e2e?.stats.skipped ?? 0);
console.log(`unit+integration: ${unit ? `${unit.numPassedTests} passed, ${unit.numFailedTests} failed` : "no report"}; e2e: ${e2e ? `${e2e.stats.expected} passed, ${e2e.stats.unexpected + e2e.stats.flaky} failed` : "no report"}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
