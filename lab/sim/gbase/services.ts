// `gcluster_services` and `gcware_services`: RHEL init-script style start/stop/status of the GBase
// services on this host. Which script manages gcware depends on the version (seed, step 2(2)):
// V952 starts gcware with gcluster_services, V953 with gcware_services.
import { renderServiceLine } from "../../../lib/engines/gbase/render";
import { misconfigured, onHost, type HostRoles, type ToolContext, type ToolResult } from "./context";
import { appendEntry, openGcwares, startGcware, stopGcware } from "./gcware-model";
import type { ClusterState } from "./state";

export const SERVICES = ["gcware", "gcluster", "gcrecover", "gbase", "syncserver"] as const;
export type ServiceName = (typeof SERVICES)[number];
const ACTIONS = ["start", "stop", "restart", "status", "info"] as const;
type Action = (typeof ACTIONS)[number];

type Script = "gcluster_services" | "gcware_services";

function managedBy(script: Script, state: ClusterState): readonly ServiceName[] {
  if (script === "gcware_services") return ["gcware"];
  return state.version === "V952" ? SERVICES : SERVICES.filter((s) => s !== "gcware");
}

function deployedOn(roles: HostRoles, service: ServiceName): boolean {
  return service === "gcware" || service === "gcluster" || service === "gcrecover" ? roles.coordinator !== undefined : roles.dataNode !== undefined;
}

function isOpen(roles: HostRoles, service: ServiceName): boolean {
  switch (service) {
    case "gcware":
    case "gcluster":
    case "gcrecover":
      return roles.coordinator?.[service] === "OPEN";
    case "gbase":
      return roles.dataNode?.gbase === "OPEN";
    case "syncserver":
      return roles.dataNode?.syncserver === "OPEN";
  }
}

function setOpen(roles: HostRoles, service: Exclude<ServiceName, "gcware">, value: "OPEN" | "CLOSE"): void {
  if (service === "gbase" || service === "syncserver") {
    if (roles.dataNode) roles.dataNode[service] = value;
  } else if (roles.coordinator) roles.coordinator[service] = value;
}

function start(state: ClusterState, roles: HostRoles, service: ServiceName): boolean {
  if (service === "gcware") return roles.coordinator !== undefined && startGcware(state, roles.coordinator) !== "refused";
  if (isOpen(roles, service)) return true;
  // Everything else registers with gcware; with no gcware running it cannot come up.
  if (openGcwares(state).length === 0) return false;
  setOpen(roles, service, "OPEN");
  appendEntry(state);
  return true;
}

function stop(state: ClusterState, roles: HostRoles, service: ServiceName): void {
  if (service === "gcware") {
    if (roles.coordinator) stopGcware(state, roles.coordinator);
    return;
  }
  if (!isOpen(roles, service)) return;
  setOpen(roles, service, "CLOSE");
  appendEntry(state);
}

/** Start order: gcware first; stop order is the reverse. */
const startOrder = (services: readonly ServiceName[]) => SERVICES.filter((s) => services.includes(s));

function runAction(state: ClusterState, roles: HostRoles, services: readonly ServiceName[], action: Action): ToolResult {
  const lines: string[] = [];
  let failed = false;
  const doStop = () => {
    for (const s of [...startOrder(services)].reverse()) {
      stop(state, roles, s);
      lines.push(renderServiceLine({ verb: "Stopping", service: s, outcome: "OK" }));
    }
  };
  const doStart = () => {
    for (const s of startOrder(services)) {
      const started = start(state, roles, s);
      failed ||= !started;
      lines.push(renderServiceLine({ verb: "Starting", service: s, outcome: started ? "OK" : "FAILED" }));
    }
  };
  if (action === "status" || action === "info") {
    const running = startOrder(services).map((s) => [s, isOpen(roles, s)] as const);
    const out = running.map(([s, up]) => `${s} is ${up ? "running" : "stopped"}\n`).join("");
    return { code: running.every(([, up]) => up) ? 0 : 3, stdout: out, stderr: "" };
  }
  if (action === "stop" || action === "restart") doStop();
  if (action === "start" || action === "restart") doStart();
  return { code: failed ? 1 : 0, stdout: lines.map((l) => l + "\n").join(""), stderr: "" };
}

const commandNotFound = (script: Script): ToolResult => ({ code: 127, stdout: "", stderr: `bash: ${script}: command not found\n` });

export function runServiceScript(script: Script, ctx: ToolContext, argv: readonly string[]): ToolResult {
  return onHost(ctx, (state, roles) => {
    if (!roles.coordinator && !roles.dataNode) return misconfigured(script, `KEEL_LAB_HOST ${ctx.host} is not a node of this cluster`);
    // gcware_services only ships with V953, and only on the nodes that run gcware.
    if (script === "gcware_services" && (state.version !== "V953" || !roles.coordinator)) return commandNotFound(script);
    const managed = managedBy(script, state);
    const usage: ToolResult = {
      code: 1,
      stdout: "",
      stderr: `Usage: ${script} {${[...managed, "all"].join("|")}} {${ACTIONS.join("|")}}\n`,
    };
    const [target, action, ...rest] = argv;
    if (rest.length > 0 || !target || !action) return usage;
    const act = ACTIONS.find((a) => a === action);
    if (!act) return usage;
    let services: ServiceName[];
    if (target === "all") services = managed.filter((s) => deployedOn(roles, s));
    else {
      const one = managed.find((s) => s === target);
      if (!one) return usage;
      if (!deployedOn(roles, one)) return { code: 1, stdout: "", stderr: `${script}: ${one} is not deployed on this node\n` };
      services = [one];
    }
    return runAction(state, roles, services, act);
  });
}
