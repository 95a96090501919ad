// Tibero TAC status probe: `cmrctl show all` on every node's host. Each CM lists the nodes of its cluster
// whose CM is up, so the blocks are merged by CM name; a host whose CM is down is that host's error.
import { judge, mapLimited, runCommand, uniqueHosts, unreadable, type HostError } from "../../status/health";
import type { ObservedNode, ProbeTarget, Prober, RemoteRunner } from "../../status/types";
import { cmStatusInfo, parseShowAll } from "./parse-cmrctl";
import { resourceTable } from "./resources";
import type { CmResource } from "./types";

export const SHOW_ALL_ARGV = ["cmrctl", "show", "all"];

/** Resource tables per CM node (`Resource List of Node <cmName>`), and which host reported each. */
export type CmPanel = { nodes: { cmName: string; reportedBy: string; resources: CmResource[] }[]; warnings: string[] };

export type CmCollection = { panel: CmPanel; errors: HostError[]; answered: string[] };

export async function collectCmResources(target: ProbeTarget, run: RemoteRunner): Promise<CmCollection> {
  const hosts = uniqueHosts(target.nodes);
  const results = await mapLimited(hosts, 8, async (host) => ({ host, result: await runCommand(run, host, SHOW_ALL_ARGV) }));
  const panel: CmPanel = { nodes: [], warnings: [] };
  const errors: HostError[] = [];
  const answered: string[] = [];
  for (const { host, result } of results) {
    if (!result.ok) {
      errors.push({ host, message: result.message });
      continue;
    }
    const parsed = parseShowAll(result.stdout);
    if (!parsed.ok) {
      errors.push({ host, message: unreadable("cmrctl show all", parsed.error) });
      continue;
    }
    if (parsed.value.nodes.length === 0) {
      errors.push({ host, message: "cmrctl show all listed no node" });
      continue;
    }
    answered.push(host);
    for (const w of parsed.value.warnings) panel.warnings.push(`${host} line ${w.lineNumber}: ${w.message}`);
    for (const node of parsed.value.nodes) {
      if (!panel.nodes.some((n) => n.cmName === node.cmName)) panel.nodes.push({ cmName: node.cmName, reportedBy: host, resources: node.resources });
    }
  }
  return { panel, errors, answered };
}

export const DESIRED_INSTANCE_STATUS = "UP(NRML)";

function instanceNode(resource: CmResource, cmName: string): ObservedNode {
  const info = cmStatusInfo(resource.status);
  return {
    name: resource.name,
    type: "instance",
    group: resource.cluster,
    groupState: null,
    desired: DESIRED_INSTANCE_STATUS,
    actual: resource.status,
    rpState: null,
    mismatch: resource.status !== DESIRED_INSTANCE_STATUS,
    detail: { cm: cmName, up: info.up, detail: resource.detail, ...resource.extra },
    flags: info.known ? [] : [`unrecognized status '${resource.status}'`],
  };
}

/** TAC instances: the db resources every CM reports, plus inventory instances no reachable CM lists. */
export function instanceNodes(target: ProbeTarget, panel: CmPanel): ObservedNode[] {
  const nodes: ObservedNode[] = [];
  for (const cm of panel.nodes) {
    for (const r of cm.resources) if (r.type === "db" && !nodes.some((n) => n.name === r.name)) nodes.push(instanceNode(r, cm.cmName));
  }
  for (const inv of target.nodes.filter((n) => n.type === "instance")) {
    if (nodes.some((n) => n.name === inv.name)) continue;
    nodes.push({
      name: inv.name,
      type: "instance",
      group: inv.group,
      groupState: null,
      desired: DESIRED_INSTANCE_STATUS,
      actual: null,
      rpState: null,
      mismatch: true,
      detail: { host: inv.hostName },
      flags: [`no reachable CM lists instance ${inv.name}`],
    });
  }
  return nodes;
}

export const probeTibero: Prober = async (target, run) => {
  const { panel, errors, answered } = await collectCmResources(target, run);
  const nodes = instanceNodes(target, panel);
  const panels = { cm: panel, cmResources: resourceTable([panel]) };
  if (answered.length === 0) {
    return { health: "down", reason: `no CM answered: ${errors.map((e) => `${e.host}: ${e.message}`).join("; ")}`, nodes, panels, errors };
  }
  const problems = nodes.filter((n) => n.mismatch).map((n) => `instance ${n.name} ${n.actual ?? "not reported by any CM"}`);
  return { ...judge(problems, errors, `all ${nodes.length} instances ${DESIRED_INSTANCE_STATUS}`), nodes, panels, errors };
};
