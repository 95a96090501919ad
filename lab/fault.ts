// Fault injection on a running estate, by cluster and host name:
//   npx tsx lab/fault.ts [--estate demo|test] <cluster> <fault> [args]   (the engine's fault module)
//   npx tsx lab/fault.ts [--estate demo|test] host-key-change|host-down|host-up HOST
//   npx tsx lab/fault.ts [--estate demo|test] pg-stop|pg-kill|pg-start HOST
import type { EstateDefinition } from "./estate/definition";
import { definitionByName, readSnapshot } from "./estate/estate";
import { GBASE_FAULTS } from "./faults/gbase";
import { runFaultCli as machbaseFault } from "./faults/machbase";
import { PROSYNC_FAULTS } from "./faults/prosync";
import { TIBERO_FAULTS } from "./faults/tibero";
import { changeHostKey, startHost, stopHost } from "./hosts/hosts";
import { killServer, startServer, stopServer } from "./postgres/server";
import { isMainModule, runCli } from "../scripts/db/cli";

export type FaultOutcome = { ok: boolean; message: string };


const HOST_FAULTS = ["host-key-change", "host-down", "host-up"] as const;
const PG_FAULTS = ["pg-stop", "pg-kill", "pg-start"] as const;

export function faultNames(engine: EstateDefinition["clusters"][number]["engine"]): string[] {
  switch (engine) {
    case "MACHBASE":
      return ["kill-node", "restart-node", "hold-ddl", "release-ddl", "extract-package", "status"];
    case "GBASE":
      return Object.keys(GBASE_FAULTS);
    case "TIBERO":
      return Object.keys(TIBERO_FAULTS);
    case "PROSYNC":
      return [...Object.keys(PROSYNC_FAULTS), ...Object.keys(TIBERO_FAULTS).filter((f) => !(f in PROSYNC_FAULTS))];
    case "POSTGRESQL":
      return [...PG_FAULTS];
  }
}

async function guard(run: () => Promise<string> | string): Promise<FaultOutcome> {
  try {
    return { ok: true, message: await run() };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export async function runFault(def: EstateDefinition, argv: readonly string[]): Promise<FaultOutcome> {
  const [target, fault, ...args] = argv;
  if (!target) return { ok: false, message: usage(def) };
  // The fault modules read the time scale from the environment: use the estate's.
  process.env.KEEL_LAB_TIME_SCALE = String(def.timeScale);
  process.umask(0o002);

  if ((HOST_FAULTS as readonly string[]).includes(target)) {
    const host = fault;
    if (!host || !def.hosts.some((h) => h.name === host)) return { ok: false, message: `${target} needs a host of estate ${def.name}` };
    const o = { runDir: def.runDir };
    if (target === "host-down") return guard(async () => `${(await stopHost(host, o)).name}: sshd down`);
    if (target === "host-up") return guard(async () => `${(await startHost(host, o)).name}: sshd up`);
    return guard(async () => `${host}: new host key ${(await changeHostKey(host, o)).hostKeyFingerprint}`);
  }
  if ((PG_FAULTS as readonly string[]).includes(target)) {
    const server = def.clusters.flatMap((c) => c.postgres).find((s) => s.host === fault);
    if (!server) return { ok: false, message: `${target} needs a PostgreSQL host of estate ${def.name}` };
    if (target === "pg-kill") {
      const r = killServer(server);
      return r.ok ? { ok: true, message: `${server.host}: postmaster ${r.value} killed (SIGKILL)` } : { ok: false, message: r.error };
    }
    const r = target === "pg-stop" ? await stopServer(server) : await startServer(server);
    return r.ok ? { ok: true, message: `${server.host}: PostgreSQL ${target === "pg-stop" ? "stopped" : "running"}` } : { ok: false, message: r.error };
  }

  const cluster = def.clusters.find((c) => c.name === target);
  if (!cluster) return { ok: false, message: `no cluster or host fault named ${target}\n${usage(def)}` };
  if (!fault || !faultNames(cluster.engine).includes(fault)) return { ok: false, message: `${cluster.name} (${cluster.engine}) faults: ${faultNames(cluster.engine).join(", ")}` };
  const stateDir = cluster.stateDir;
  if (!stateDir) return { ok: false, message: `${cluster.name}: use ${PG_FAULTS.join("/")} HOST` };
  switch (cluster.engine) {
    case "MACHBASE": {
      const r = machbaseFault([stateDir, fault, ...args]);
      return { ok: r.ok, message: r.message };
    }
    case "GBASE": {
      const node = args[0];
      if (!node) return { ok: false, message: `${fault} needs a coordinator name or IP` };
      return guard(() => {
        GBASE_FAULTS[fault]!(stateDir, node);
        return `${fault} ${node}: done`;
      });
    }
    case "TIBERO":
    case "PROSYNC": {
      const run = (cluster.engine === "PROSYNC" ? PROSYNC_FAULTS[fault] : undefined) ?? TIBERO_FAULTS[fault]!;
      return guard(async () => `${fault} ${args.join(" ")}: done (node ${await run(stateDir, args)})`);
    }
    default:
      return { ok: false, message: `${cluster.name}: no faults` };
  }
}

function usage(def: EstateDefinition): string {
  return [
    "usage: npx tsx lab/fault.ts [--estate demo|test] <cluster> <fault> [args]",
    "       npx tsx lab/fault.ts [--estate demo|test] host-key-change|host-down|host-up HOST",
    "       npx tsx lab/fault.ts [--estate demo|test] pg-stop|pg-kill|pg-start HOST",
    ...def.clusters.map((c) => `  ${c.name.padEnd(14)} ${faultNames(c.engine).join(", ")}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf("--estate");
  const name = i >= 0 ? argv[i + 1] : "demo";
  const rest = i >= 0 ? [...argv.slice(0, i), ...argv.slice(i + 2)] : argv;
  const declared = definitionByName(name ?? "demo");
  // Act on what `up` actually started, when it did.
  const def = (await readSnapshot(declared.runDir)) ?? declared;
  const r = await runFault(def, rest);
  (r.ok ? process.stdout : process.stderr).write(`${r.message}\n`);
  return r.ok ? 0 : 1;
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
