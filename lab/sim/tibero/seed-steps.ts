import type { ToolResult } from "./context";
import type { Lab } from "./lab-harness";

// Seed 001's database creation as one step over a lab estate, for tests that need a running TAC.

export function must(r: ToolResult, what: string): ToolResult {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r;
}

/** Seed 001 §15.5 in short: CM up everywhere, create on the first node, one thread per further node. */
export async function createTac(lab: Lab, clusterName: string): Promise<void> {
  const cluster = lab.topology.clusters.find((c) => c.name === clusterName);
  if (!cluster) throw new Error(clusterName);
  const [first, ...rest] = cluster.nodes.map((n) => n.name);
  if (!first) throw new Error("empty cluster");
  for (const n of cluster.nodes) must(await lab.run(n.name, "tbcm", ["-b"]), `tbcm -b ${n.name}`);
  must(await lab.run(first, "tbboot", ["-t", "NOMOUNT", "-c"]), "tbboot NOMOUNT");
  const create = `CREATE DATABASE "${cluster.service}" USER sys IDENTIFIED BY tibero MAXINSTANCES 8
LOGFILE GROUP 0 'log001' SIZE 50M, GROUP 1 'log011' SIZE 50M, GROUP 2 'log021' SIZE 50M
UNDO TABLESPACE UNDO0 DATAFILE 'undo001' SIZE 512M;`;
  must(await lab.run(first, "tbsql", ["sys/tibero"], { stdin: create }), "CREATE DATABASE");
  must(await lab.run(first, "tbboot", []), "tbboot");
  let group = 3;
  for (let i = 1; i <= rest.length; i++) {
    const stmts = [
      `CREATE UNDO TABLESPACE UNDO${i} DATAFILE 'undo0${i}1' SIZE 512M;`,
      `ALTER DATABASE ADD LOGFILE THREAD ${i} GROUP ${group++} 'log${i}a' size 50M;`,
      `ALTER DATABASE ADD LOGFILE THREAD ${i} GROUP ${group++} 'log${i}b' size 50M;`,
      `ALTER DATABASE ENABLE PUBLIC THREAD ${i};`,
    ];
    must(await lab.run(first, "tbsql", ["sys/tibero"], { stdin: stmts.join("\n") }), `thread ${i}`);
  }
  for (const n of rest) must(await lab.run(n, "tbboot", []), `tbboot ${n}`);
}

