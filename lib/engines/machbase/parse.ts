// machcoordinatoradmin / machdeployeradmin output → typed values. Garbled output is an error value that
// names the offending line; values the seed does not name are kept (`{ unrecognized }`) and warned about.
import { NO_RP_TEXT, UNKNOWN_STATE_TEXT } from "./render";
import {
  ADMIN_TOOLS,
  KNOWN_GROUP_STATES,
  KNOWN_NODE_STATES,
  KNOWN_NODE_TYPES,
  KNOWN_RP_STATES,
  SNAPSHOT_INTERVAL_KEY,
  type AdminTool,
} from "./vocabulary";
import type {
  AdminOutput,
  Banner,
  ConfigEntry,
  Endpoint,
  Field,
  FullStatusTable,
  GroupState,
  NodeState,
  NodeType,
  ParseError,
  ParseResult,
  RpState,
  ShortStatusTable,
  StatusTable,
  Unrecognized,
  Warning,
} from "./types";

const BANNER_RULE_PATTERN = /^-{20,}$/;
const BORDER_PATTERN = /^\+(?:-+\+)+$/;
const FIELD_PATTERN = /^([A-Za-z][A-Za-z0-9 _()\-]*?)\s*:(?: (.*))?$/;
const ERROR_PATTERN = /^\[ERROR\]\s*(.*)$/;
const RELEASE_PATTERN = /^Release Version - (\S.*)$/;
const ENDPOINT_PATTERN = /^(.+):(\d{1,5})$/;

const FULL_TITLES = ["Node Type", "Node Name", "Group Name", "Group State", "Desired & Actual State", "RP State"];
const SHORT_TITLES = ["Node Type", "Node Name", "Group Name", "Group State", "State"];

class GarbledOutput extends Error {
  constructor(
    message: string,
    readonly line: string,
    readonly lineNumber: number,
  ) {
    super(message);
  }
}

function fail(message: string, lines: readonly string[], index: number): never {
  throw new GarbledOutput(message, lines[index] ?? "", index + 1);
}

function classify<T extends string>(known: readonly T[], text: string): T | Unrecognized {
  return (known as readonly string[]).includes(text) ? (text as T) : { unrecognized: text };
}

export function parseNodeType(text: string): NodeType {
  return classify(KNOWN_NODE_TYPES, text);
}
export function parseNodeState(text: string): NodeState {
  // The tool stars `**unknown**`; a bare `unknown` means the same.
  return classify(KNOWN_NODE_STATES, text === UNKNOWN_STATE_TEXT ? "unknown" : text);
}
export function parseGroupState(text: string): GroupState {
  return classify(KNOWN_GROUP_STATES, text);
}
export function parseRpState(text: string): RpState {
  if (text === NO_RP_TEXT) return "none";
  // `none` is this library's name for the dashes, never a tool word.
  return text === "none" ? { unrecognized: text } : classify(KNOWN_RP_STATES, text);
}
export function parseEndpoint(nodeName: string): Endpoint | null {
  const match = ENDPOINT_PATTERN.exec(nodeName);
  if (!match?.[1] || !match[2]) return null;
  const port = Number(match[2]);
  return port <= 65535 ? { host: match[1], port } : null;
}

function splitCells(lines: readonly string[], index: number): string[] {
  const line = (lines[index] ?? "").trimEnd();
  if (!line.startsWith("|") || !line.endsWith("|") || line.length < 2) {
    fail("expected a table row framed by '|'", lines, index);
  }
  return line
    .slice(1, -1)
    .split("|")
    .map((c) => c.trim());
}

function sameTitles(actual: readonly string[], expected: readonly string[]): boolean {
  return expected.every((title, i) => actual[i] === title);
}

type TableParse = { table: StatusTable; next: number };

function parseTable(lines: readonly string[], start: number, warnings: Warning[]): TableParse {
  const headerIndex = start + 1;
  if (headerIndex >= lines.length) fail("table ends after its top border", lines, start);
  const titles = splitCells(lines, headerIndex);
  const layout = sameTitles(titles, FULL_TITLES) ? "full" : sameTitles(titles, SHORT_TITLES) ? "short" : null;
  if (!layout) fail("unrecognized status table header", lines, headerIndex);
  const knownTitles = layout === "full" ? FULL_TITLES : SHORT_TITLES;
  const extraColumns = titles.slice(knownTitles.length);
  if (extraColumns.length > 0) {
    warnings.push({ lineNumber: headerIndex + 1, message: `unknown columns kept: ${extraColumns.join(", ")}` });
  }
  const ruleIndex = headerIndex + 1;
  if (!BORDER_PATTERN.test((lines[ruleIndex] ?? "").trimEnd())) fail("expected a border under the table header", lines, ruleIndex);

  // The full layout's "Desired & Actual State" title spans two cells.
  const fixedCells = layout === "full" ? FULL_TITLES.length + 1 : SHORT_TITLES.length;
  const expectedCells = fixedCells + extraColumns.length;
  const fullRows: FullStatusTable["rows"] = [];
  const shortRows: ShortStatusTable["rows"] = [];
  let index = ruleIndex + 1;
  for (; index < lines.length; index++) {
    const line = (lines[index] ?? "").trimEnd();
    if (BORDER_PATTERN.test(line)) break;
    const cells = splitCells(lines, index);
    if (cells.length !== expectedCells) {
      fail(`table row has ${cells.length} cells, expected ${expectedCells}`, lines, index);
    }
    const [typeText, nodeName, groupName, groupStateText, ...rest] = cells as [string, string, string, string, ...string[]];
    if (!typeText || !nodeName || !groupName || !groupStateText) fail("table row has an empty cell", lines, index);
    const lineNumber = index + 1;
    const nodeType = parseNodeType(typeText);
    const endpoint = parseEndpoint(nodeName);
    const groupState = parseGroupState(groupStateText);
    const note = (what: string, value: unknown) => {
      if (typeof value !== "string") warnings.push({ lineNumber, message: `unrecognized ${what} kept: ${JSON.stringify(value)}` });
    };
    note("node type", nodeType);
    note("group state", groupState);
    if (!endpoint) warnings.push({ lineNumber, message: `node name is not host:port: ${nodeName}` });
    if (layout === "full") {
      const [desiredText, actualText, rpText, ...extra] = rest as [string, string, string, ...string[]];
      if (!desiredText || !actualText || !rpText) fail("table row has an empty state cell", lines, index);
      const desiredState = parseNodeState(desiredText);
      const actualState = parseNodeState(actualText);
      const rpState = parseRpState(rpText);
      note("desired state", desiredState);
      note("actual state", actualState);
      note("RP state", rpState);
      fullRows.push({ nodeType, nodeName, endpoint, groupName, groupState, desiredState, actualState, rpState, extra });
    } else {
      const [stateText, ...extra] = rest as [string, ...string[]];
      if (!stateText) fail("table row has an empty state cell", lines, index);
      const state = parseNodeState(stateText);
      note("state", state);
      shortRows.push({ nodeType, nodeName, endpoint, groupName, groupState, state, extra });
    }
  }
  if (index >= lines.length) fail("status table is not closed by a border", lines, lines.length - 1);
  const table: StatusTable =
    layout === "full" ? { layout, extraColumns, rows: fullRows } : { layout, extraColumns, rows: shortRows };
  return { table, next: index + 1 };
}

function parseBanner(lines: readonly string[], start: number): { banner: Banner; next: number } {
  const body = [1, 2, 3, 4].map((offset) => (lines[start + offset] ?? "").trim());
  const [title = "", releaseLine = "", copyright = ""] = body;
  if (!/^Machbase .+ Administration Tool$/.test(title)) fail("expected the tool title in the banner", lines, start + 1);
  const release = RELEASE_PATTERN.exec(releaseLine);
  if (!release?.[1]) fail("expected 'Release Version - …' in the banner", lines, start + 2);
  if (!copyright.startsWith("Copyright")) fail("expected the copyright line in the banner", lines, start + 3);
  if (!BANNER_RULE_PATTERN.test((lines[start + 5] ?? "").trim())) fail("banner is not closed by a rule", lines, start + 5);
  const word = /^Machbase (\S+) Administration Tool$/.exec(title)?.[1]?.toLowerCase() ?? "";
  const tool: AdminTool | Unrecognized = (ADMIN_TOOLS as readonly string[]).includes(word)
    ? (word as AdminTool)
    : { unrecognized: title };
  return { banner: { title, tool, releaseVersion: release[1], copyright }, next: start + 6 };
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Parses everything one admin-tool invocation printed: banner, header fields, tables, messages. */
export function parseAdminOutput(text: string): ParseResult<AdminOutput> {
  const lines = splitLines(text);
  const output: AdminOutput = { banner: null, fields: [], records: [], tables: [], messages: [], errors: [], warnings: [] };
  let record: Field[] = [];
  const closeRecord = () => {
    if (record.length > 0) output.records.push(record);
    record = [];
  };
  try {
    let index = 0;
    while (index < lines.length) {
      const raw = lines[index] ?? "";
      const line = raw.trim();
      if (line === "") {
        closeRecord();
        index++;
      } else if (BANNER_RULE_PATTERN.test(line) && !output.banner && opensBanner(lines, index)) {
        const { banner, next } = parseBanner(lines, index);
        output.banner = banner;
        index = next;
      } else if (line.startsWith("+")) {
        if (!BORDER_PATTERN.test(line)) fail("malformed table border", lines, index);
        closeRecord();
        const { table, next } = parseTable(lines, index, output.warnings);
        output.tables.push(table);
        index = next;
      } else if (line.startsWith("|")) {
        fail("table row outside a table", lines, index);
      } else {
        const error = ERROR_PATTERN.exec(line);
        const field = FIELD_PATTERN.exec(line);
        if (error) {
          output.errors.push(error[1] ?? "");
        } else if (field?.[1]) {
          const entry: Field = { key: field[1], value: (field[2] ?? "").trim(), lineNumber: index + 1 };
          output.fields.push(entry);
          record.push(entry);
        } else {
          output.messages.push(line);
        }
        index++;
      }
    }
    closeRecord();
    return { ok: true, value: output };
  } catch (error) {
    if (error instanceof GarbledOutput) {
      const parseError: ParseError = { message: error.message, line: error.line, lineNumber: error.lineNumber };
      return { ok: false, error: parseError };
    }
    throw error;
  }
}

// A rule opens the banner when the tool title follows it; lines before it (a login banner over SSH)
// are kept as messages.
function opensBanner(lines: readonly string[], index: number): boolean {
  return /Administration Tool\s*$/.test(lines[index + 1] ?? "");
}

/** Exactly one status table is expected (a `--cluster-status-full` probe, or a seed fixture). */
export function parseStatusTable(text: string): ParseResult<StatusTable> {
  const parsed = parseAdminOutput(text);
  if (!parsed.ok) return parsed;
  const [table, ...more] = parsed.value.tables;
  if (!table || more.length > 0) {
    return {
      ok: false,
      error: { message: `expected exactly one status table, found ${parsed.value.tables.length}`, line: "", lineNumber: 0 },
    };
  }
  return { ok: true, value: table };
}

export function fieldValue(output: AdminOutput, key: string): string | undefined {
  return output.fields.find((f) => f.key === key)?.value;
}

/** The seed's optional header lines above a table. */
export function headerFields(output: AdminOutput): {
  groupName?: string;
  flag?: number;
  nodeName?: string;
  source?: string;
} {
  const flag = fieldValue(output, "Flag");
  return {
    groupName: fieldValue(output, "Group Name"),
    flag: flag !== undefined && /^\d+$/.test(flag) ? Number(flag) : undefined,
    nodeName: fieldValue(output, "Node-Name"),
    source: fieldValue(output, "Source"),
  };
}

/** `--configuration` (Name/Value records) and `--configuration=NAME` / setter output. */
export function configurationEntries(output: AdminOutput): ConfigEntry[] {
  return output.records.flatMap((record) => {
    const name = record.find((f) => f.key === "Name")?.value;
    const value = record.find((f) => f.key === "Value")?.value;
    return name !== undefined && value !== undefined ? [{ name, value }] : [];
  });
}

/** Seconds between automatic snapshots, from `--configuration` output; null when not printed. */
export function snapshotIntervalSec(output: AdminOutput): number | null {
  const entry = configurationEntries(output).find((e) => e.name === SNAPSHOT_INTERVAL_KEY);
  return entry && /^\d+$/.test(entry.value) ? Number(entry.value) : null;
}

export { SNAPSHOT_INTERVAL_KEY };

/** `--list-node` / `--list-package` records as plain key → value maps. */
export function recordMaps(output: AdminOutput): Array<Record<string, string>> {
  return output.records.map((record) => Object.fromEntries(record.map((f) => [f.key, f.value])));
}
