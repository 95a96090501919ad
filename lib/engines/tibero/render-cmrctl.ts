import type { CmResource, CmShowAll } from "./types";

// Column widths of the seed's table (dash ruler 11/8/14/8/24); values are right-aligned like printf("%11s").
const WIDTH = { cluster: 11, type: 8, name: 14, status: 8 } as const;
export const CM_TABLE_RULE = "=".repeat(69);
export const CM_TABLE_HEADER = "  CLUSTER     TYPE        NAME       STATUS           DETAIL         ";
export const CM_TABLE_DASHES = "----------- -------- -------------- -------- ------------------------";

export function renderResourceRow(r: CmResource): string {
  return [
    r.cluster.padStart(WIDTH.cluster),
    r.type.padStart(WIDTH.type),
    r.name.padStart(WIDTH.name),
    r.status.padStart(WIDTH.status),
    r.detail,
  ].join(" ");
}

/** `cmrctl show all`, one block per reachable node, newline-terminated. */
export function renderShowAll(view: CmShowAll): string {
  const lines: string[] = [];
  for (const node of view.nodes) {
    lines.push(`Resource List of Node ${node.cmName}`, CM_TABLE_RULE, CM_TABLE_HEADER, CM_TABLE_DASHES);
    for (const r of node.resources) lines.push(renderResourceRow(r));
    lines.push(CM_TABLE_RULE);
  }
  return lines.map((l) => `${l}\n`).join("");
}

export function renderAddSuccess(type: string, name: string): string {
  return `Resource add success! (${type}, ${name})\n`;
}

export function renderDelSuccess(type: string, name: string): string {
  return `Resource delete success! (${type}, ${name})\n`;
}

function bannerLine(title: string, width = 80): string {
  const inner = ` ${title} `;
  const left = Math.floor((width - inner.length) / 2);
  return "=".repeat(left) + inner + "=".repeat(width - left - inner.length);
}

/** The box `cmrctl start|stop group` prints after the request was handed to every node. */
export function renderGroupRequestBox(verb: "boot" | "down", group: string): string {
  return [
    bannerLine("SUCCESS!"),
    ` Succeeded to request at each node to ${verb} resources under the group(${group}).`,
    ` Please use "cmrctl show group --name ${group}" to verify the result.`,
    "=".repeat(80),
  ]
    .map((l) => `${l}\n`)
    .join("");
}
