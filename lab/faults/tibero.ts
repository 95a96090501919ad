import path from "node:path";
import type { LabEnv } from "../sim/tibero/context";
import { stopNodeServices } from "../sim/tibero/node-ops";
import { transact, type State } from "../sim/tibero/state";
import { findNode } from "../sim/tibero/topology";
import { isMainModule } from "../../scripts/db/cli";

// Fault injection for the simulated Tibero TAC + CM estate in a KEEL_LAB_STATE directory.
//   npx tsx lab/faults/tibero.ts <stateDir> instance-down <node>       the instance dies (CM shows db DOWN)
//   npx tsx lab/faults/tibero.ts <stateDir> boot-fail <node> [on|off]  tbboot on the node fails until off
//   npx tsx lab/faults/tibero.ts <stateDir> cm-down <node>             the CM dies, taking instance and agents
//   npx tsx lab/faults/tibero.ts <stateDir> node-down <node>           the host is gone (commands exit 255)
//   npx tsx lab/faults/tibero.ts <stateDir> node-up <node>             the host is back (CM not started)
// <node> is a topology node name, host address, SID or CM name.

export type FaultOptions = { now?: number; timeScale?: number };

export function envOf(stateDir: string, o: FaultOptions): LabEnv {
  return {
    stateDir,
    host: undefined,
    timeScale: o.timeScale ?? (Number(process.env.KEEL_LAB_TIME_SCALE) || 1),
    tbHome: undefined,
    tbSid: undefined,
    cmSid: undefined,
    prsHome: undefined,
  };
}

async function onNode(stateDir: string, ref: string, fn: (nodeName: string, state: State) => void): Promise<string> {
  return transact(stateDir, (state) => {
    const found = findNode(state.topology, ref);
    if (!found) throw new Error(`no node '${ref}' in ${stateDir}`);
    fn(found.node.name, state);
    return found.node.name;
  });
}

export async function instanceDown(stateDir: string, node: string, o: FaultOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  return onNode(stateDir, node, (name, state) => {
    const ns = state.nodes[name];
    if (ns) ns.instance = { mode: "DOWN", since: now };
  });
}

export async function bootFail(stateDir: string, node: string, on = true): Promise<string> {
  return onNode(stateDir, node, (name, state) => {
    const ns = state.nodes[name];
    if (ns) ns.bootFail = on;
  });
}

export async function cmDown(stateDir: string, node: string, o: FaultOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  return onNode(stateDir, node, (name, state) => stopNodeServices(state, name, now, envOf(stateDir, o)));
}

export async function nodeDown(stateDir: string, node: string, o: FaultOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  return onNode(stateDir, node, (name, state) => {
    stopNodeServices(state, name, now, envOf(stateDir, o));
    const ns = state.nodes[name];
    if (ns) ns.hostDown = true;
  });
}

export async function nodeUp(stateDir: string, node: string): Promise<string> {
  return onNode(stateDir, node, (name, state) => {
    const ns = state.nodes[name];
    if (ns) ns.hostDown = false;
  });
}

export const TIBERO_FAULTS: Record<string, (stateDir: string, args: string[]) => Promise<string>> = {
  "instance-down": (s, [n]) => instanceDown(s, need(n)),
  "boot-fail": (s, [n, flag]) => bootFail(s, need(n), flag !== "off"),
  "cm-down": (s, [n]) => cmDown(s, need(n)),
  "node-down": (s, [n]) => nodeDown(s, need(n)),
  "node-up": (s, [n]) => nodeUp(s, need(n)),
};

function need(arg: string | undefined): string {
  if (!arg) throw new Error("missing <node> argument");
  return arg;
}

export async function faultCli(faults: Record<string, (stateDir: string, args: string[]) => Promise<string>>, argv: string[]): Promise<number> {
  const [stateDir, fault, ...args] = argv;
  const run = fault ? faults[fault] : undefined;
  if (!stateDir || !run) {
    process.stderr.write(`usage: <stateDir> <${Object.keys(faults).join("|")}> <args…>\n`);
    return 2;
  }
  try {
    const node = await run(path.resolve(stateDir), args);
    process.stdout.write(`${fault} ${args.join(" ")}: done (node ${node})\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await faultCli(TIBERO_FAULTS, process.argv.slice(2));
}
