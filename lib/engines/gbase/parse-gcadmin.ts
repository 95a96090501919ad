// `gcadmin` output → GcadminStatus. Unknown values, columns, fields and tables are kept and flagged;
// anything that is not a field line, a blank line or a well-formed box table is an error naming it.
import { isEqualsRule, readBoxTable, type LocatedBoxTable } from "./box-table";
import { COORDINATOR_COLUMNS, COORDINATOR_TITLE, DATA_COLUMNS, DATA_TITLE } from "./render";
import {
  fail,
  ok,
  type CoordinatorRow,
  type DataNodeRow,
  type GcadminParse,
  type GcadminStatus,
  type OtherTable,
  type ParseResult,
  type ParseWarning,
} from "./types";
import { clusterStateOf, countOf, isUnknown, serviceStateOf, virtualClusterModeOf } from "./values";

/** What gcadmin prints when it cannot reach any gcware (all gcware services down). */
const GCWARE_UNREACHABLE = /^Could not initialize CRM instance\b/;
const FIELD_LINE = /^([A-Za-z][A-Za-z0-9 _]*?)\s*:\s*(.*?)\s*$/;

type Columns<K extends string> = { index: Record<K, number>; extraColumns: string[] };

function locateColumns<K extends string>(
  table: LocatedBoxTable,
  required: readonly K[],
  lines: readonly string[],
  warnings: ParseWarning[],
): ParseResult<Columns<K>> {
  const index = {} as Record<K, number>;
  for (const name of required) {
    const at = table.headers.indexOf(name);
    if (at < 0)
      return fail(
        `${table.title}: column '${name}' is missing`,
        lines[table.headerLineNumber - 1] ?? "",
        table.headerLineNumber,
      );
    index[name] = at;
  }
  const known: readonly string[] = required;
  const extraColumns = table.headers.filter((h) => !known.includes(h));
  if (new Set(table.headers).size !== table.headers.length)
    return fail(`${table.title}: a column appears twice`, lines[table.headerLineNumber - 1] ?? "", table.headerLineNumber);
  for (const c of extraColumns)
    warnings.push({ kind: "extra-column", message: `${table.title}: unknown column '${c}'`, lineNumber: table.headerLineNumber });
  return ok({ index, extraColumns });
}

function extraCells(headers: string[], cells: string[], extraColumns: string[]): Record<string, string> {
  return Object.fromEntries(extraColumns.map((c) => [c, cells[headers.indexOf(c)] ?? ""]));
}

function flagUnknowns(values: Record<string, unknown>, lineNumber: number, warnings: ParseWarning[]): void {
  for (const [field, v] of Object.entries(values))
    if (field !== "extra" && isUnknown(v)) warnings.push({ kind: "unknown-value", message: `${field}: unrecognised value '${v.unknown}'`, lineNumber });
}

function readRows<K extends string, R>(
  table: LocatedBoxTable,
  required: readonly K[],
  lines: readonly string[],
  warnings: ParseWarning[],
  build: (cell: (k: K) => string, extra: Record<string, string>) => R,
): ParseResult<{ extraColumns: string[]; rows: R[] }> {
  const cols = locateColumns(table, required, lines, warnings);
  if (!cols.ok) return cols;
  const rows: R[] = [];
  for (const [r, cells] of table.rows.entries()) {
    const lineNumber = table.rowLineNumbers[r] ?? 0;
    const cell = (k: K) => cells[cols.value.index[k]] ?? "";
    for (const k of ["NodeName", "IpAddress"] as const)
      if ((required as readonly string[]).includes(k) && cell(k as K) === "")
        return fail(`${table.title}: ${k} is empty`, lines[lineNumber - 1] ?? "", lineNumber);
    const row = build(cell, extraCells(table.headers, cells, cols.value.extraColumns));
    flagUnknowns(row as Record<string, unknown>, lineNumber, warnings);
    rows.push(row);
  }
  return ok({ extraColumns: cols.value.extraColumns, rows });
}

export function parseGcadmin(text: string): ParseResult<GcadminParse> {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return fail("gcadmin printed nothing", "", 1);

  const warnings: ParseWarning[] = [];
  const fields: { key: string; value: string; lineNumber: number }[] = [];
  const tables: LocatedBoxTable[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (isEqualsRule(line)) {
      const read = readBoxTable(lines, i);
      if (!read.ok) return { ok: false, error: read.error };
      tables.push(read.table);
      i = read.next;
      continue;
    }
    if (GCWARE_UNREACHABLE.test(line)) return fail("gcadmin could not reach any gcware", line, i + 1);
    const field = tables.length === 0 ? FIELD_LINE.exec(line) : null;
    if (!field) return fail("unexpected line in gcadmin output", line, i + 1);
    fields.push({ key: field[1] ?? "", value: field[2] ?? "", lineNumber: i + 1 });
    i++;
  }

  const fieldValue = (key: string) => fields.find((f) => f.key === key);
  const clusterState = fieldValue("CLUSTER STATE");
  if (!clusterState) return fail("missing 'CLUSTER STATE:' line", lines[0] ?? "", 1);
  const vcMode = fieldValue("VIRTUAL CLUSTER MODE");
  if (!vcMode) return fail("missing 'VIRTUAL CLUSTER MODE:' line", lines[0] ?? "", 1);
  const extraFields = fields.filter((f) => f !== clusterState && f !== vcMode);
  for (const f of extraFields) warnings.push({ kind: "extra-field", message: `unknown field '${f.key}'`, lineNumber: f.lineNumber });
  const header = { clusterState: clusterStateOf(clusterState.value), virtualClusterMode: virtualClusterModeOf(vcMode.value) };
  flagUnknowns(header, clusterState.lineNumber, warnings);

  const byTitle = (title: string) => tables.filter((t) => t.title === title);
  const [coordTable, ...moreCoord] = byTitle(COORDINATOR_TITLE);
  const [dataTable, ...moreData] = byTitle(DATA_TITLE);
  const duplicate = moreCoord[0] ?? moreData[0];
  if (duplicate) return fail(`table '${duplicate.title}' appears twice`, lines[duplicate.titleLineNumber - 1] ?? "", duplicate.titleLineNumber);
  if (!coordTable) return fail(`missing table '${COORDINATOR_TITLE}'`, lines[lines.length - 1] ?? "", lines.length);
  if (!dataTable) return fail(`missing table '${DATA_TITLE}'`, lines[lines.length - 1] ?? "", lines.length);

  const coordinators = readRows(coordTable, COORDINATOR_COLUMNS, lines, warnings, (cell, extra): CoordinatorRow => ({
    name: cell("NodeName"),
    ip: cell("IpAddress"),
    gcware: serviceStateOf(cell("gcware")),
    gcluster: serviceStateOf(cell("gcluster")),
    dataState: countOf(cell("DataState")),
    extra,
  }));
  if (!coordinators.ok) return coordinators;
  const dataNodes = readRows(dataTable, DATA_COLUMNS, lines, warnings, (cell, extra): DataNodeRow => ({
    name: cell("NodeName"),
    ip: cell("IpAddress"),
    distributionId: countOf(cell("DistributionId")),
    gnode: serviceStateOf(cell("gnode")),
    syncserver: serviceStateOf(cell("syncserver")),
    dataState: countOf(cell("DataState")),
    extra,
  }));
  if (!dataNodes.ok) return dataNodes;

  const otherTables: OtherTable[] = tables
    .filter((t) => t !== coordTable && t !== dataTable)
    .map((t) => {
      warnings.push({ kind: "unknown-table", message: `unknown table '${t.title}'`, lineNumber: t.titleLineNumber });
      return { title: t.title, headers: t.headers, rows: t.rows };
    });

  const status: GcadminStatus = {
    ...header,
    extraFields: extraFields.map(({ key, value }) => ({ key, value })),
    coordinators: coordinators.value,
    dataNodes: dataNodes.value,
    otherTables,
  };
  return ok({ status, warnings });
}
