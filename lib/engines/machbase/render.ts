// Typed state → the exact text machcoordinatoradmin / machdeployeradmin print. The lab simulator prints
// through these functions, so the simulator and the parser share one definition of the format.
import type {
  AdminTool,
  ConfigEntry,
  FullStatusTable,
  GroupState,
  NodeState,
  NodeType,
  RpState,
  ShortStatusTable,
} from "./types";

export const BANNER_RULE = "-".repeat(73);
export const COPYRIGHT_LINE = "Copyright 2014, MACHBASE Corp. or its subsidiaries";
export const RIGHTS_LINE = "All Rights Reserved";
const BANNER_INDENT = "     ";

export const TOOL_TITLES: Record<AdminTool, string> = {
  coordinator: "Machbase Coordinator Administration Tool",
  deployer: "Machbase Deployer Administration Tool",
};

export const UNKNOWN_STATE_TEXT = "**unknown**";
export const NO_RP_TEXT = "-----------";

export function renderBanner(tool: AdminTool, releaseVersion: string): string[] {
  return [
    BANNER_RULE,
    `${BANNER_INDENT}${TOOL_TITLES[tool]}`,
    `${BANNER_INDENT}Release Version - ${releaseVersion}`,
    `${BANNER_INDENT}${COPYRIGHT_LINE}`,
    `${BANNER_INDENT}${RIGHTS_LINE}`,
    BANNER_RULE,
  ];
}

export function nodeTypeText(value: NodeType): string {
  return typeof value === "string" ? value : value.unrecognized;
}
export function nodeStateText(value: NodeState): string {
  if (typeof value !== "string") return value.unrecognized;
  return value === "unknown" ? UNKNOWN_STATE_TEXT : value;
}
export function groupStateText(value: GroupState): string {
  return typeof value === "string" ? value : value.unrecognized;
}
export function rpStateText(value: RpState): string {
  if (typeof value !== "string") return value.unrecognized;
  return value === "none" ? NO_RP_TEXT : value;
}

function center(title: string, width: number): string {
  const room = Math.max(0, width - title.length);
  const left = Math.floor(room / 2);
  return " ".repeat(left) + title + " ".repeat(room - left);
}
function cell(value: string, width: number): string {
  return ` ${value.padEnd(width - 2)} `;
}
function rule(widths: number[]): string {
  return `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
}

const TYPE_WIDTH = 13;
const STATE_WIDTH = 15;
const RP_WIDTH = 13;
const SHORT_STATE_WIDTH = 14;
// Seed names are 15 characters wide ("localhost:30110") and give 17-wide columns; the vendor manual's
// 17-character names give 19: the name, group and group-state columns follow the longest name.
const MIN_NAME_INNER = 15;

function nameColumnWidth(rows: ReadonlyArray<{ nodeName: string; groupName: string }>): number {
  const longest = rows.reduce((max, r) => Math.max(max, r.nodeName.length, r.groupName.length), MIN_NAME_INNER);
  return longest + 2;
}

function extraWidths(extraColumns: string[], rows: ReadonlyArray<{ extra: string[] }>): number[] {
  return extraColumns.map((title, i) =>
    rows.reduce((max, r) => Math.max(max, (r.extra[i] ?? "").length + 2), title.length + 4),
  );
}

/** `--cluster-status-full`: the table every seed example shows. */
export function renderFullStatusTable(table: FullStatusTable): string[] {
  const nameW = nameColumnWidth(table.rows);
  const extraW = extraWidths(table.extraColumns, table.rows);
  const widths = [TYPE_WIDTH, nameW, nameW, nameW, STATE_WIDTH * 2 + 1, RP_WIDTH, ...extraW];
  const titles = ["Node Type", "Node Name", "Group Name", "Group State", "Desired & Actual State", "RP State"];
  const header = `|${[...titles, ...table.extraColumns].map((t, i) => center(t, widths[i] ?? t.length)).join("|")}|`;
  const border = rule(widths);
  const lines = [border, header, border];
  for (const row of table.rows) {
    const groupState = groupStateText(row.groupState);
    // The real 6.5 tool prints `readonly` one column wider than the others; every seed table that came
    // from the tool (all but one hand-edited example) shows it, so it is reproduced.
    const groupStateCell = cell(groupState, nameW) + (groupState === "readonly" ? " " : "");
    const cells = [
      cell(nodeTypeText(row.nodeType), TYPE_WIDTH),
      cell(row.nodeName, nameW),
      cell(row.groupName, nameW),
      groupStateCell,
      cell(nodeStateText(row.desiredState), STATE_WIDTH),
      cell(nodeStateText(row.actualState), STATE_WIDTH),
      cell(rpStateText(row.rpState), RP_WIDTH),
      ...row.extra.map((v, i) => cell(v, extraW[i] ?? v.length + 2)),
    ];
    lines.push(`|${cells.join("|")}|`);
  }
  lines.push(border);
  return lines;
}

/** `--cluster-status`: the short form with one State column (vendor manual layout). */
export function renderShortStatusTable(table: ShortStatusTable): string[] {
  const nameW = nameColumnWidth(table.rows);
  const extraW = extraWidths(table.extraColumns, table.rows);
  const widths = [TYPE_WIDTH, nameW, nameW, nameW, SHORT_STATE_WIDTH, ...extraW];
  const titles = ["Node Type", "Node Name", "Group Name", "Group State"];
  // The manual prints this one title a column right of centre.
  const stateTitle = "     State    ";
  const header = `|${[...titles.map((t, i) => center(t, widths[i] ?? t.length)), stateTitle, ...table.extraColumns.map((t, i) => center(t, extraW[i] ?? t.length))].join("|")}|`;
  const border = rule(widths);
  const lines = [border, header, border];
  for (const row of table.rows) {
    const cells = [
      cell(nodeTypeText(row.nodeType), TYPE_WIDTH),
      cell(row.nodeName, nameW),
      cell(row.groupName, nameW),
      cell(groupStateText(row.groupState), nameW),
      cell(nodeStateText(row.state), SHORT_STATE_WIDTH),
      ...row.extra.map((v, i) => cell(v, extraW[i] ?? v.length + 2)),
    ];
    lines.push(`|${cells.join("|")}|`);
  }
  lines.push(border);
  return lines;
}

export type FieldLine = { key: string; value: string };

/**
 * Key/value lines. `gap` is the spaces between the longest key and the colon: 0 for the seed's
 * `Group Name: group1` / `Flag      : 1`, 1 for `Name  : CLUSTER` / `Value : 3` and package lists.
 * An empty value prints the bare key and colon, as the seed's `Source:`.
 */
export function renderFields(fields: FieldLine[], gap: 0 | 1 = 0): string[] {
  const width = fields.reduce((max, f) => Math.max(max, f.key.length), 0) + gap;
  return fields.map((f) => `${f.key.padEnd(width)}:${f.value === "" ? "" : ` ${f.value}`}`);
}

/** `--configuration`: every key as a Name/Value pair, pairs separated by a line holding one space. */
export function renderConfigurationList(entries: ConfigEntry[]): string[] {
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    if (i > 0) lines.push(" ");
    lines.push(...renderFields([{ key: "Name", value: entry.name }, { key: "Value", value: entry.value }], 1));
  });
  return lines;
}

/** `--configuration=NAME` and setters such as `--snapshot-interval=SEC`: right-aligned keys. */
export function renderConfigurationValue(entry: ConfigEntry): string[] {
  return [
    `${"Name".padStart(18)} : ${entry.name}`,
    `${"Value".padStart(18)} : ${entry.value}`,
    `${"Format".padStart(18)} : text/plain`,
  ];
}

export function renderError(message: string): string {
  return `[ERROR] ${message}`;
}

export function joinLines(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
