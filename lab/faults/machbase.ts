// Fault injection for the simulated Machbase cluster: what happens on a host behind the coordinator's
// back (a process dies, an operator restarts it, a DDL stays open, a package is untarred over a home).
// Usage: npx tsx lab/faults/machbase.ts <stateDir> <command> [args]   (commands: see USAGE)
import path from "node:path";
import { joinLines, renderFullStatusTable } from "../../lib/engines/machbase/render";
import { redetectAfterCoordinatorStart, schedule, settle } from "../sim/machbase/evolve";
import { findNode, type ClusterState } from "../sim/machbase/model";
import { startProcess } from "../sim/machbase/node-commands";
import { releaseFromFileName } from "../sim/machbase/packages";
import { withCluster } from "../sim/machbase/store";
import { durations } from "../sim/machbase/timing";
import { fullStatusTable } from "../sim/machbase/view";
import { isMainModule } from "../../scripts/db/cli";

export type FaultOptions = { env?: Record<string, string | undefined>; now?: number };
export type FaultResult = { ok: true; message: string } | { ok: false; message: string };

function mutate(stateDir: string, options: FaultOptions, change: (state: ClusterState, now: number) => FaultResult): FaultResult {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now();
  const d = durations(env);
  const result = withCluster(stateDir, now, (state) => {
    settle(state, now, d);
    return change(state, now);
  });
  return result.ok ? result.value : { ok: false, message: result.message };
}

/**
 * The node's process dies. A broker/warehouse/deployer death is noticed by the primary coordinator
 * after the detection delay (never while it is down): a warehouse becomes desired `scrapped` / actual
 * `**unknown**` and its group `readonly`; a broker or deployer shows actual `**unknown**`.
 */
export function killNode(stateDir: string, nodeName: string, options: FaultOptions = {}): FaultResult {
  const d = durations(options.env ?? process.env);
  return mutate(stateDir, options, (state, now) => {
    const node = findNode(state, nodeName);
    if (!node) return { ok: false, message: `no node ${nodeName}` };
    if (node.process === "down" || node.process === "stopped") return { ok: false, message: `${nodeName} is not running` };
    node.process = "down";
    state.events = state.events.filter((e) => !(e.node === nodeName && e.kind === "node-up"));
    const isPrimaryCoordinator = node.type === "coordinator" && node.role === "primary";
    if (!isPrimaryCoordinator) schedule(state, { kind: "detect-failure", node: nodeName, at: now + d.detectFailure });
    return { ok: true, message: `${nodeName} killed` };
  });
}

/**
 * The operator starts the dead process again on its host. A scrapped warehouse comes back as
 * `scrapped` / `scrapped` (seed: before --snapshot-recover); anything else returns to its role.
 */
export function restartNode(stateDir: string, nodeName: string, options: FaultOptions = {}): FaultResult {
  const d = durations(options.env ?? process.env);
  return mutate(stateDir, options, (state, now) => {
    const node = findNode(state, nodeName);
    if (!node) return { ok: false, message: `no node ${nodeName}` };
    if (node.process === "running" || node.process === "starting") return { ok: false, message: `${nodeName} is already running` };
    if (node.type === "coordinator") {
      node.process = "running";
      node.desired = node.actual = node.role;
      redetectAfterCoordinatorStart(state, now, d);
    } else {
      startProcess(state, node, now, d.nodeStartup);
    }
    return { ok: true, message: `${nodeName} restarting` };
  });
}

/** A DDL stays open (reported by `machcoordinatoradmin --cluster-node` as `DDL Status : running`). */
export function holdDdl(stateDir: string, statement = "CREATE TABLE lab_ddl_hold (id INTEGER)", options: FaultOptions = {}): FaultResult {
  return mutate(stateDir, options, (state, now) => {
    state.ddl = { statement, since: now };
    return { ok: true, message: `DDL held: ${statement}` };
  });
}

export function releaseDdl(stateDir: string, options: FaultOptions = {}): FaultResult {
  return mutate(stateDir, options, (state) => {
    if (!state.ddl) return { ok: false, message: "no DDL is held" };
    state.ddl = null;
    return { ok: true, message: "DDL released" };
  });
}

/**
 * `tar -zxvf <package> -C $MACH_COORDINATOR_HOME` (or the deployer's home): the seed's manual upgrade.
 * Refused while the process runs, and a lightweight package is refused for the coordinator (seed:
 * the coordinator needs the full package).
 */
export function extractPackage(
  stateDir: string,
  nodeName: string,
  packageFile: string,
  options: FaultOptions = {},
): FaultResult {
  return mutate(stateDir, options, (state) => {
    const node = findNode(state, nodeName);
    if (!node) return { ok: false, message: `no node ${nodeName}` };
    if (node.type !== "coordinator" && node.type !== "deployer") return { ok: false, message: `${nodeName} is a ${node.type}; use --upgrade-node` };
    if (node.process === "running" || node.process === "starting") return { ok: false, message: `${nodeName} is running; shut it down first` };
    const fileName = path.basename(packageFile);
    if (node.type === "coordinator" && fileName.includes("lightweight")) {
      return { ok: false, message: "the coordinator must be upgraded with the full package, not the lightweight one" };
    }
    node.release = releaseFromFileName(fileName);
    return { ok: true, message: `${nodeName} now at release ${node.release}` };
  });
}

/** The table as the coordinator would print it, even while the coordinator is down (for humans). */
export function showStatus(stateDir: string, options: FaultOptions = {}): FaultResult {
  return mutate(stateDir, options, (state) => ({ ok: true, message: joinLines(renderFullStatusTable(fullStatusTable(state))).trimEnd() }));
}

const USAGE = `usage: npx tsx lab/faults/machbase.ts <stateDir> <command>
  kill-node HOST:PORT                 the node's process dies
  restart-node HOST:PORT              start a dead/stopped node's process again on its host
  hold-ddl [STATEMENT]                keep a DDL open (reported by --cluster-node)
  release-ddl                         end the held DDL
  extract-package HOST:PORT FILE      untar a package over a coordinator/deployer home (it must be down)
  status                              print the status table regardless of the coordinator`;

export function runFaultCli(argv: readonly string[]): FaultResult {
  const [stateDir, command, ...rest] = argv;
  if (!stateDir || !command) return { ok: false, message: USAGE };
  switch (command) {
    case "kill-node":
      return rest[0] ? killNode(stateDir, rest[0]) : { ok: false, message: USAGE };
    case "restart-node":
      return rest[0] ? restartNode(stateDir, rest[0]) : { ok: false, message: USAGE };
    case "hold-ddl":
      return holdDdl(stateDir, rest.length > 0 ? rest.join(" ") : undefined);
    case "release-ddl":
      return releaseDdl(stateDir);
    case "extract-package":
      return rest[0] && rest[1] ? extractPackage(stateDir, rest[0], rest[1]) : { ok: false, message: USAGE };
    case "status":
      return showStatus(stateDir);
    default:
      return { ok: false, message: USAGE };
  }
}

if (isMainModule(import.meta.url)) {
  const result = runFaultCli(process.argv.slice(2));
  (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
  process.exitCode = result.ok ? 0 : 1;
}
