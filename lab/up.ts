// The lab estate in one command (demo and tests):
//   npx tsx lab/up.ts up [--estate demo|test] [--fresh] [--no-build] [--no-seed]
//   npx tsx lab/up.ts down [--estate demo|test]
//   npx tsx lab/up.ts status [--estate demo|test]
// `up` builds the simulators, starts the sshd hosts, lays out every simulated cluster, starts real
// PostgreSQL and, when DATABASE_URL is set, seeds Keel's inventory. Idempotent; `--fresh` resets
// cluster state and PostgreSQL data.
import { definitionByName, downEstate, estateRows, renderRows, upEstate } from "./estate/estate";
import { isMainModule, runCli } from "../scripts/db/cli";

function flag(args: string[], name: string): boolean {
  return args.includes(name);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const [command] = args;
  const def = definitionByName(option(args, "--estate") ?? "demo");
  const started = performance.now();
  switch (command) {
    case "up": {
      const lab = await upEstate(def, { fresh: flag(args, "--fresh"), build: !flag(args, "--no-build"), log: (l) => console.log(`  ${l}`) });
      if (process.env.DATABASE_URL && !flag(args, "--no-seed")) {
        const { seedLabInventory } = await import("./seed-inventory");
        const { disconnectDb } = await import("@/lib/db");
        try {
          const report = await seedLabInventory({ definition: def, lab });
          for (const w of report.warnings) console.warn(`  warning: ${w}`);
          console.log(`  inventory: ${report.changes} change(s)`);
        } finally {
          await disconnectDb();
        }
      } else {
        console.log("  inventory: not seeded (DATABASE_URL not set)");
      }
      console.log(renderRows((await estateRows(def.runDir)) ?? []));
      console.log(`estate ${def.name} up in ${Math.round(performance.now() - started)} ms; client key ${lab.clientKeyPath}`);
      return 0;
    }
    case "down": {
      const errors = await downEstate(def.runDir);
      for (const e of errors) console.error(e);
      console.log(`estate ${def.name} down in ${Math.round(performance.now() - started)} ms`);
      return errors.length ? 1 : 0;
    }
    case "status": {
      const rows = await estateRows(def.runDir);
      if (!rows) {
        console.log(`estate ${def.name}: not up`);
        return 1;
      }
      console.log(renderRows(rows));
      return rows.every((r) => r.sshd === "up" && r.postgres !== "stopped") ? 0 : 1;
    }
    default:
      console.error("usage: npx tsx lab/up.ts up|down|status [--estate demo|test] [--fresh] [--no-build] [--no-seed]");
      return 2;
  }
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
