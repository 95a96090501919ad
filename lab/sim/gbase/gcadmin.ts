// `gcadmin` (no arguments): the cluster status tables of the seed, built from the current state.
// With no gcware running anywhere there is nobody to ask: gcadmin prints the CRM connection error
// GBase prints in that case and exits 1.
import { renderGcadmin } from "../../../lib/engines/gbase/render";
import type { GcadminStatus } from "../../../lib/engines/gbase/types";
import { clusterStateOf, virtualClusterModeOf } from "../../../lib/engines/gbase/values";
import { misconfigured, onHost, type ToolContext, type ToolResult } from "./context";
import { openGcwares } from "./gcware-model";
import type { ClusterState } from "./state";

export const GCWARE_UNREACHABLE = "Could not initialize CRM instance error: [122]->[can not connect to any server]\n";

export function gcadminStatusOf(state: ClusterState): GcadminStatus {
  return {
    clusterState: clusterStateOf("ACTIVE"),
    virtualClusterMode: virtualClusterModeOf(state.virtualClusterMode),
    extraFields: [],
    coordinators: {
      extraColumns: [],
      rows: state.coordinators.map((c) => ({ name: c.name, ip: c.ip, gcware: c.gcware, gcluster: c.gcluster, dataState: c.dataState, extra: {} })),
    },
    dataNodes: {
      extraColumns: [],
      rows: state.dataNodes.map((d) => ({
        name: d.name,
        ip: d.ip,
        distributionId: d.distributionId,
        gnode: d.gbase,
        syncserver: d.syncserver,
        dataState: d.dataState,
        extra: {},
      })),
    },
    otherTables: [],
  };
}

export function runGcadmin(ctx: ToolContext, argv: readonly string[]): ToolResult {
  return onHost(ctx, (state, roles) => {
    if (!roles.coordinator && !roles.dataNode) return misconfigured("gcadmin", `KEEL_LAB_HOST ${ctx.host} is not a node of this cluster`);
    if (argv.length > 0) return { code: 1, stdout: "", stderr: `gcadmin: unsupported command '${argv.join(" ")}' (this simulator prints the cluster status only)\n` };
    if (openGcwares(state).length === 0) return { code: 1, stdout: "", stderr: GCWARE_UNREACHABLE };
    return { code: 0, stdout: renderGcadmin(gcadminStatusOf(state)), stderr: "" };
  });
}
