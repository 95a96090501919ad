import {
  CM_KNOWN_STATUSES,
  CM_RESOURCE_TYPES,
  parseError,
  type CmNodeResources,
  type CmResource,
  type CmShowAllParsed,
  type CmStatusInfo,
  type ParseResult,
  type ParseWarning,
} from "./types";

const NODE_HEADING = /^Resource List of Node (\S+)\s*$/;
const RULE = /^=+\s*$/;
const DASHES = /^-+(\s+-+)*\s*$/;
const REQUIRED_COLUMNS = ["CLUSTER", "TYPE", "NAME", "STATUS"] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, "DETAIL"]);

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Decodes a STATUS cell. `UP(NRML)` is up in mode NRML; anything unseen is kept raw and marked unknown. */
export function cmStatusInfo(status: string): CmStatusInfo {
  if (status === "UP") return { known: true, up: true };
  if (status === "DOWN") return { known: true, up: false };
  const m = /^UP\(([A-Z]+)\)$/.exec(status);
  if (m && m[1] && (CM_KNOWN_STATUSES as readonly string[]).includes(status)) return { known: true, up: true, mode: m[1] };
  return { known: false, up: false, raw: status };
}

type Cursor = { lines: string[]; index: number; offset: number };

function lineNo(c: Cursor, index = c.index): number {
  return index + 1 + c.offset;
}

/** Splits a row into header.length cells: whitespace-separated, the last cell takes the rest of the line. */
function splitRow(line: string, columnCount: number): string[] | undefined {
  const cells: string[] = [];
  let rest = line;
  for (let i = 0; i < columnCount - 1; i++) {
    const m = /^\s*(\S+)/.exec(rest);
    if (!m || m[1] === undefined) return undefined;
    cells.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  cells.push(rest.trim());
  return cells;
}

function parseNodeBlock(c: Cursor, cmName: string, warnings: ParseWarning[]): ParseResult<CmNodeResources> {
  const next = (): string | undefined => c.lines[c.index];
  const expect = (re: RegExp, what: string): ParseResult<string> => {
    const line = next();
    if (line === undefined) return parseError(`unexpected end of output, expected ${what}`, "", lineNo(c));
    if (!re.test(line)) return parseError(`expected ${what}`, line, lineNo(c));
    c.index++;
    return { ok: true, value: line };
  };
  const rule = expect(RULE, "a ==== rule under the node heading");
  if (!rule.ok) return rule;
  const header = expect(/^\s*CLUSTER\b/, "the column header starting with CLUSTER");
  if (!header.ok) return header;
  const headerLineNo = lineNo(c, c.index - 1);
  const columns = header.value.trim().split(/\s+/);
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) return parseError(`column ${required} missing from header`, header.value, headerLineNo);
  }
  const extraColumns = columns.filter((col) => !KNOWN_COLUMNS.has(col));
  if (extraColumns.length > 0) warnings.push({ message: `unknown column(s) ${extraColumns.join(", ")}`, lineNumber: headerLineNo });
  const dashes = expect(DASHES, "the ---- ruler under the header");
  if (!dashes.ok) return dashes;

  const resources: CmResource[] = [];
  for (;;) {
    const line = next();
    if (line === undefined) return parseError(`table of node ${cmName} not closed by a ==== rule`, c.lines[c.index - 1] ?? "", lineNo(c, c.index - 1));
    if (RULE.test(line)) {
      c.index++;
      return { ok: true, value: { cmName, resources } };
    }
    const cells = splitRow(line, columns.length);
    if (!cells) return parseError(`resource row has fewer than ${columns.length} columns`, line, lineNo(c));
    const byColumn = new Map<string, string>();
    columns.forEach((col, i) => byColumn.set(col, cells[i] ?? ""));
    const resource: CmResource = {
      cluster: byColumn.get("CLUSTER") ?? "",
      type: byColumn.get("TYPE") ?? "",
      name: byColumn.get("NAME") ?? "",
      status: byColumn.get("STATUS") ?? "",
      detail: byColumn.get("DETAIL") ?? "",
    };
    if (extraColumns.length > 0) resource.extra = Object.fromEntries(extraColumns.map((col) => [col, byColumn.get(col) ?? ""]));
    if (!(CM_RESOURCE_TYPES as readonly string[]).includes(resource.type)) {
      warnings.push({ message: `unknown resource type ${resource.type}`, lineNumber: lineNo(c) });
    }
    if (!cmStatusInfo(resource.status).known) {
      warnings.push({ message: `unknown status ${resource.status}`, lineNumber: lineNo(c) });
    }
    resources.push(resource);
    c.index++;
  }
}

/** Parses node blocks from `lines[start..]`; `offset` shifts reported line numbers. */
export function parseShowAllLines(lines: string[], start = 0, offset = 0): ParseResult<CmShowAllParsed> {
  const c: Cursor = { lines, index: start, offset };
  const nodes: CmNodeResources[] = [];
  const warnings: ParseWarning[] = [];
  while (c.index < lines.length) {
    const line = lines[c.index] ?? "";
    if (line.trim() === "") {
      c.index++;
      continue;
    }
    const heading = NODE_HEADING.exec(line);
    if (!heading || heading[1] === undefined) return parseError("expected 'Resource List of Node <name>'", line, lineNo(c));
    c.index++;
    const node = parseNodeBlock(c, heading[1], warnings);
    if (!node.ok) return node;
    nodes.push(node.value);
  }
  return { ok: true, value: { nodes, warnings } };
}

/** `cmrctl show all` output → resources per node. */
export function parseShowAll(text: string): ParseResult<CmShowAllParsed> {
  return parseShowAllLines(splitLines(text));
}

const ADD_SUCCESS = /^(?:\$\s*)?Resource (add|delete) success! \((\w+), (\S+)\)\s*$/;

/** `Resource add success! (group, CM1)` (the seed prints it after a `$ ` prompt, which is tolerated). */
export function parseResourceChange(
  text: string,
): ParseResult<{ action: "add" | "delete"; type: string; name: string }> {
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const m = ADD_SUCCESS.exec(line);
    if (!m || !m[1] || !m[2] || !m[3]) return parseError("expected 'Resource add success! (<type>, <name>)'", line, i + 1);
    return { ok: true, value: { action: m[1] === "add" ? "add" : "delete", type: m[2], name: m[3] } };
  }
  return parseError("empty output", "", 0);
}

export type GroupRequest = { verb: string; group: string; showAll?: CmShowAllParsed };

/** `cmrctl start group` output: the SUCCESS box, optionally followed by node tables. */
export function parseGroupRequest(text: string): ParseResult<GroupRequest> {
  const lines = splitLines(text);
  let i = 0;
  while (i < lines.length && (lines[i] ?? "").trim() === "") i++;
  const first = lines[i];
  if (first === undefined || !/^=+ SUCCESS! =+\s*$/.test(first)) {
    return parseError("expected the '==== SUCCESS! ====' box", first ?? "", i + 1);
  }
  const body = lines[i + 1] ?? "";
  const m = /^\s*Succeeded to request at each node to (\w+) resources under the group\((.+)\)\.\s*$/.exec(body);
  if (!m || !m[1] || !m[2]) return parseError("expected 'Succeeded to request at each node …'", body, i + 2);
  let end = i + 2;
  while (end < lines.length && !/^=+\s*$/.test(lines[end] ?? "")) end++;
  if (end >= lines.length) return parseError("SUCCESS box not closed", lines[lines.length - 1] ?? "", lines.length);
  const rest = parseShowAllLines(lines, end + 1);
  if (!rest.ok) return rest;
  const value: GroupRequest = { verb: m[1], group: m[2] };
  if (rest.value.nodes.length > 0) value.showAll = rest.value;
  return { ok: true, value };
}
