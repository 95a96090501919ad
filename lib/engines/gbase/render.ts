// Typed GBase state → the exact text the real tools print. The simulator prints with these, so Keel's
// parsers and the lab share one format.
import { renderBoxTable } from "./box-table";
import type { GcadminStatus, GcwareListing, ServiceActionLine } from "./types";
import { textOf } from "./values";

export const COORDINATOR_TITLE = "GBASE COORDINATOR CLUSTER INFORMATION";
export const DATA_TITLE = "GBASE DATA CLUSTER INFORMATION";
export const COORDINATOR_COLUMNS = ["NodeName", "IpAddress", "gcware", "gcluster", "DataState"] as const;
export const DATA_COLUMNS = ["NodeName", "IpAddress", "DistributionId", "gnode", "syncserver", "DataState"] as const;
/** gcadmin reserves 40 characters for a data node's address (room for IPv6), as the seed shows. */
const DATA_IP_MIN_WIDTH = 40;
/** `VIRTUAL CLUSTER MODE:  NORMAL` — values start in column 24. */
const FIELD_VALUE_COLUMN = 23;

function fieldLine(key: string, value: string): string {
  return `${key}:`.padEnd(Math.max(FIELD_VALUE_COLUMN, key.length + 3)) + value;
}

export function renderGcadmin(status: GcadminStatus): string {
  const lines = [
    fieldLine("CLUSTER STATE", textOf(status.clusterState)),
    fieldLine("VIRTUAL CLUSTER MODE", textOf(status.virtualClusterMode)),
    ...status.extraFields.map((f) => fieldLine(f.key, f.value)),
    "",
  ];
  const coord = status.coordinators;
  lines.push(
    ...renderBoxTable({
      title: COORDINATOR_TITLE,
      headers: [...COORDINATOR_COLUMNS, ...coord.extraColumns],
      rows: coord.rows.map((r) => [
        r.name,
        r.ip,
        textOf(r.gcware),
        textOf(r.gcluster),
        textOf(r.dataState),
        ...coord.extraColumns.map((c) => r.extra[c] ?? ""),
      ]),
    }),
  );
  const data = status.dataNodes;
  lines.push(
    ...renderBoxTable(
      {
        title: DATA_TITLE,
        headers: [...DATA_COLUMNS, ...data.extraColumns],
        rows: data.rows.map((r) => [
          r.name,
          r.ip,
          textOf(r.distributionId),
          textOf(r.gnode),
          textOf(r.syncserver),
          textOf(r.dataState),
          ...data.extraColumns.map((c) => r.extra[c] ?? ""),
        ]),
      },
      [0, DATA_IP_MIN_WIDTH],
    ),
  );
  for (const t of status.otherTables) lines.push(...renderBoxTable(t));
  lines.push("");
  return lines.join("\n") + "\n";
}

/** `ls -l` (columns aligned like GNU ls) or plain `ls` piped (one name per line). */
export function renderGcwareListing(listing: GcwareListing): string {
  if (listing.format === "short") return listing.entries.map((e) => e.name + "\n").join("");
  const longs = listing.entries.map((e) => {
    if (!e.long) throw new Error(`entry ${e.name} has no long-format fields`);
    return { name: e.name, ...e.long };
  });
  const w = (f: (e: (typeof longs)[number]) => string) => Math.max(0, ...longs.map((e) => f(e).length));
  const linksW = w((e) => String(e.links));
  const ownerW = w((e) => e.owner);
  const groupW = w((e) => e.group);
  const sizeW = w((e) => String(e.sizeBytes));
  const lines = listing.totalBlocks === null ? [] : [`total ${listing.totalBlocks}`];
  for (const e of longs) {
    lines.push(
      [
        e.mode,
        String(e.links).padStart(linksW),
        e.owner.padEnd(ownerW),
        e.group.padEnd(groupW),
        String(e.sizeBytes).padStart(sizeW),
        e.modified,
        e.name,
      ].join(" "),
    );
  }
  return lines.map((l) => l + "\n").join("");
}

/** RHEL init-script style: the status bracket starts in column 60. */
export function renderServiceLine(line: ServiceActionLine): string {
  const prefix = `${line.verb} ${line.service} :`;
  const bracket = line.outcome === "OK" ? "[  OK  ]" : "[FAILED]";
  return prefix.padEnd(59, " ") + (prefix.length >= 59 ? " " : "") + bracket;
}
