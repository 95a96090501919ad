// Simulator state → the typed values the Keel parser produces, so printing goes through lib's renderer.
import type { FieldLine } from "../../../lib/engines/machbase/render";
import type { FullStatusTable, ShortStatusTable } from "../../../lib/engines/machbase/types";
import { parseEndpoint } from "../../../lib/engines/machbase/parse";
import { groupState } from "./evolve";
import type { ClusterState, SimNode } from "./model";

const TYPE_ORDER = { coordinator: 0, deployer: 1, broker: 2, warehouse: 3 } as const;

function ordered(state: ClusterState): SimNode[] {
  // Stable sort keeps topology order within a type, as the seed lists nodes.
  return [...state.nodes].sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
}

export function fullStatusTable(state: ClusterState): FullStatusTable {
  return {
    layout: "full",
    extraColumns: [],
    rows: ordered(state).map((node) => ({
      nodeType: node.type,
      nodeName: node.name,
      endpoint: parseEndpoint(node.name),
      groupName: node.group,
      groupState: node.type === "warehouse" ? groupState(state, node.group) : "normal",
      desiredState: node.desired,
      actualState: node.actual,
      rpState: node.rp,
      extra: [],
    })),
  };
}

export function shortStatusTable(state: ClusterState): ShortStatusTable {
  const full = fullStatusTable(state);
  return {
    layout: "short",
    extraColumns: [],
    rows: full.rows.map(({ desiredState: _desired, rpState: _rp, actualState, ...row }) => ({ ...row, state: actualState })),
  };
}

export function nodeRecord(state: ClusterState, node: SimNode, primaryCoordinator: string): FieldLine[] {
  const deployer = state.nodes.find((n) => n.type === "deployer");
  const managed = node.type === "broker" || node.type === "warehouse";
  return [
    { key: "Node Name", value: node.name },
    { key: "Node Type", value: node.type },
    ...(managed
      ? [
          { key: "Deployer", value: deployer?.name ?? "" },
          { key: "Package Name", value: node.packageName ?? "" },
          { key: "Home Path", value: node.homePath },
        ]
      : []),
    { key: "Group Name", value: node.group },
    { key: "Desired State", value: node.desired === "unknown" ? "**unknown**" : node.desired },
    { key: "Actual State", value: node.actual === "unknown" ? "**unknown**" : node.actual },
    { key: "Coordinator Host", value: primaryCoordinator },
  ];
}
