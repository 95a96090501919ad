import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const debianPgRoot = "/usr/lib/postgresql";

export class MissingPostgresBinariesError extends Error {
  constructor(detail: string) {
    super(
      `${detail}\nPostgreSQL server binaries are needed for the embedded database. Install them with ` +
        "`apt-get install -y postgresql` (or `bash scripts/db/ensure-postgres-binaries.sh`), " +
        "set KEEL_PG_BIN to a directory holding initdb/pg_ctl, or set DATABASE_URL to use an existing server.",
    );
    this.name = "MissingPostgresBinariesError";
  }
}

/** Directory holding initdb, pg_ctl and postgres: $KEEL_PG_BIN, else the newest Debian version. */
export function findPgBinDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env["KEEL_PG_BIN"];
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, "initdb"))) {
      throw new MissingPostgresBinariesError(`KEEL_PG_BIN=${fromEnv} has no initdb.`);
    }
    return fromEnv;
  }
  const versions = existsSync(debianPgRoot)
    ? readdirSync(debianPgRoot)
        .filter((name) => /^\d+$/.test(name))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  for (const version of versions) {
    const bin = path.join(debianPgRoot, String(version), "bin");
    if (existsSync(path.join(bin, "initdb"))) return bin;
  }
  throw new MissingPostgresBinariesError(`No ${debianPgRoot}/*/bin/initdb found.`);
}
