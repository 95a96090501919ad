// `cmrctl show all` of every node → one typed resource table for the CM monitoring panel (seed 001
// §15.6.4, seed 003 §5.6): a row per resource per CM node, its kind, UP/DOWN/UP(<mode>) decoded, and
// what the DETAIL column says for that kind (address, path, instance home, group type, agent script).
import { cmStatusInfo } from "./parse-cmrctl";
import { CM_RESOURCE_TYPES, type CmResource, type CmResourceType, type CmShowAll } from "./types";

export type ResourceState = "UP" | "DOWN" | "UNKNOWN";

export type ResourceDetail =
  | { kind: "network"; scope: string | null; address: string | null; port: number | null }
  | { kind: "cluster"; interconnect: string | null; publicNetwork: string | null }
  | { kind: "file"; path: string }
  | { kind: "service"; description: string; autoRestart: boolean | null }
  | { kind: "db"; service: string | null; home: string | null; failedRetries: number | null }
  | { kind: "group"; groupType: string | null; failover: boolean | null }
  | { kind: "agent"; script: string | null; startRetries: number | null }
  | { kind: "other"; text: string };

export type ResourceRow = {
  /** The CM node whose list holds the row (`Resource List of Node <cmNode>`). */
  cmNode: string;
  cluster: string;
  type: CmResourceType | "other";
  rawType: string;
  name: string;
  /** As printed: UP, DOWN, UP(NRML), UP(MNT), UP(NOMT)… */
  status: string;
  state: ResourceState;
  /** The db mode inside UP(…), e.g. NRML. */
  mode: string | null;
  detail: ResourceDetail;
  rawDetail: string;
};

export type ResourceTable = {
  rows: ResourceRow[];
  /** Per CM node: rows and how many are not UP. */
  nodes: { cmNode: string; resources: number; notUp: number }[];
  /** One sentence naming what is not UP, or null when everything is. */
  problem: string | null;
};

const num = (text: string | undefined): number | null => (text !== undefined && /^\d+$/.test(text) ? Number(text) : null);

function typeOf(raw: string): CmResourceType | "other" {
  return (CM_RESOURCE_TYPES as readonly string[]).includes(raw) ? (raw as CmResourceType) : "other";
}

export function resourceDetail(type: CmResourceType | "other", text: string): ResourceDetail {
  switch (type) {
    case "network": {
      const m = /^\((\w+)\)\s+([^/\s]+)\/(\d+)$/.exec(text);
      return { kind: "network", scope: m?.[1] ?? null, address: m?.[2] ?? null, port: num(m?.[3]) };
    }
    case "cluster": {
      const m = /^inc:\s*([^,]+),\s*pub:\s*(.+)$/.exec(text);
      const pub = m?.[2]?.trim();
      return { kind: "cluster", interconnect: m?.[1]?.trim() ?? null, publicNetwork: pub === undefined || pub === "N/A" ? null : pub };
    }
    case "file":
      return { kind: "file", path: text };
    case "service": {
      const m = /\(auto-restart:\s*(ON|OFF)\)/.exec(text);
      return { kind: "service", description: text.replace(/\s*\(auto-restart:.*\)$/, ""), autoRestart: m ? m[1] === "ON" : null };
    }
    case "db": {
      const [service, home, retries] = text.split(",").map((s) => s.trim());
      return { kind: "db", service: service ?? null, home: home ?? null, failedRetries: num(/^failed retry cnt:\s*(\d+)$/.exec(retries ?? "")?.[1]) };
    }
    case "group": {
      const m = /^type:\s*(\S+)(?:\s+\(failover:\s*(ON|OFF)\))?$/.exec(text);
      return { kind: "group", groupType: m?.[1] ?? null, failover: m?.[2] === undefined ? null : m[2] === "ON" };
    }
    case "agent": {
      const m = /^(.*?),\s*start retry cnt:\s*(\d+)$/.exec(text);
      return { kind: "agent", script: m ? (m[1] ?? null) : text || null, startRetries: num(m?.[2]) };
    }
    case "other":
      return { kind: "other", text };
  }
}

export function resourceRow(cmNode: string, r: CmResource): ResourceRow {
  const info = cmStatusInfo(r.status);
  const type = typeOf(r.type);
  return {
    cmNode,
    cluster: r.cluster,
    type,
    rawType: r.type,
    name: r.name,
    status: r.status,
    state: !info.known ? "UNKNOWN" : info.up ? "UP" : "DOWN",
    mode: info.known && info.up ? (info.mode ?? null) : null,
    detail: resourceDetail(type, r.detail),
    rawDetail: r.detail,
  };
}

/** The whole table from the blocks of one or more `cmrctl show all` outputs (first report of a node wins). */
export function resourceTable(views: readonly Pick<CmShowAll, "nodes">[]): ResourceTable {
  const seen = new Set<string>();
  const rows: ResourceRow[] = [];
  for (const view of views) {
    for (const node of view.nodes) {
      if (seen.has(node.cmName)) continue;
      seen.add(node.cmName);
      rows.push(...node.resources.map((r) => resourceRow(node.cmName, r)));
    }
  }
  const nodes = [...seen].map((cmNode) => {
    const own = rows.filter((r) => r.cmNode === cmNode);
    return { cmNode, resources: own.length, notUp: own.filter((r) => r.state !== "UP").length };
  });
  const down = rows.filter((r) => r.state !== "UP").map((r) => `${r.type} ${r.name} ${r.status} on ${r.cmNode}`);
  return { rows, nodes, problem: down.length === 0 ? null : `not UP: ${down.join(", ")}` };
}
