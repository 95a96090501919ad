// Fault injection for the simulated GBase cluster in a state directory. Library functions for tests,
// and a CLI: npx tsx lab/faults/gbase.ts <stateDir> <fault> [NODE]
import { gcwareOf, startGcware, stopGcware } from "../sim/gbase/gcware-model";
import type { ClusterState, Coordinator } from "../sim/gbase/state";
import { settle, transact } from "../sim/gbase/store";
import { isMainModule } from "../../scripts/db/cli";

function coordinatorNamed(state: ClusterState, node: string): Coordinator {
  const c = state.coordinators.find((x) => x.name === node || x.ip === node);
  if (!c) throw new Error(`no gcware node '${node}' (known: ${state.coordinators.map((x) => `${x.name}/${x.ip}`).join(", ")})`);
  return c;
}

const onNode = (stateDir: string, node: string, change: (state: ClusterState, c: Coordinator) => void): void =>
  transact(stateDir, { nowMs: Date.now() }, (state) => change(state, coordinatorNamed(state, node)));

/** The gcware process dies: CLOSE in gcadmin, an ongoing flush is abandoned (its `.s` stays). */
export const closeGcware = (stateDir: string, node: string): void => onNode(stateDir, node, (s, c) => stopGcware(s, c));

/** Brings a gcware up regardless of refuse-open (an operator fixing it by hand). */
export const openGcware = (stateDir: string, node: string): void =>
  onNode(stateDir, node, (s, c) => void startGcware(s, c, { ignoreRefusal: true }));

/** From now on `… gcware start` on this node prints [FAILED] and the gcware stays CLOSE. */
export const refuseOpen = (stateDir: string, node: string, refuse = true): void =>
  onNode(stateDir, node, (s, c) => void (gcwareOf(s, c).faults.refuseOpen = refuse));

/** Flushes on this node (the current one and later ones) never finish: the `.s` directory stays. */
export const hangFlush = (stateDir: string, node: string, hang = true): void =>
  onNode(stateDir, node, (s, c) => void (gcwareOf(s, c).faults.hangFlush = hang));

/** Every GBase fault by its CLI name (also used by lab/fault.ts). */
export const GBASE_FAULTS: Record<string, (stateDir: string, node: string) => void> = {
  "close-gcware": closeGcware,
  "open-gcware": openGcware,
  "refuse-open": (d, n) => refuseOpen(d, n, true),
  "allow-open": (d, n) => refuseOpen(d, n, false),
  "hang-flush": (d, n) => hangFlush(d, n, true),
  "release-flush": (d, n) => hangFlush(d, n, false),
};

const USAGE = `usage: npx tsx lab/faults/gbase.ts <stateDir> ${Object.keys(GBASE_FAULTS).join("|")} NODE
       npx tsx lab/faults/gbase.ts <stateDir> show
NODE is a coordinator's name or IP address.`;

function cli(args: string[]): number {
  const [stateDir, fault, node] = args;
  if (stateDir && fault === "show" && node === undefined) {
    console.log(JSON.stringify(settle(stateDir), null, 2));
    return 0;
  }
  const apply = fault ? GBASE_FAULTS[fault] : undefined;
  if (!stateDir || !apply || !node || args.length !== 3) {
    console.error(USAGE);
    return 2;
  }
  try {
    apply(stateDir, node);
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = cli(process.argv.slice(2));
}
