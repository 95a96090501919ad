// Brings up the browser tests' lab estate (real sshd hosts, the Machbase simulator, a real PostgreSQL
// streaming pair) and mirrors it into the e2e database, before any test; tears it down after all.
import { disconnectDb } from "../lib/db";
import { e2eEstate } from "../lab/estate/definition";
import { downEstate, upEstate } from "../lab/estate/estate";
import { seedLabInventory } from "../lab/seed-inventory";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const definition = e2eEstate();
  const lab = await upEstate(definition, { fresh: true });
  const report = await seedLabInventory({ definition, lab });
  for (const w of report.warnings) console.warn(`lab inventory: ${w}`);
  await disconnectDb();
  return async () => {
    const errors = await downEstate(definition.runDir);
    if (errors.length) console.error(errors.join("\n"));
  };
}
