import type { ReactNode } from "react";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean | null => v === null || ["string", "number", "boolean"].includes(typeof v);
const OFF = /^(DOWN|CLOSE|stopped|false|scrapped|\*\*unknown\*\*)$/;

function scalar(v: Json): ReactNode {
  if (v === null || v === "") return <span className="text-slate-400">—</span>;
  const text = String(v);
  return <span className={OFF.test(text) ? "font-medium text-red-700" : undefined}>{text}</span>;
}

/**
 * Renders an engine panel (gcware snapshots per node, CM resources per node, replication slots …) as
 * dense tables: a list of records becomes a table, a record becomes label/value pairs, recursively.
 */
export function PanelView({ value, depth = 0 }: { value: Json; depth?: number }): ReactNode {
  if (isScalar(value)) return scalar(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-slate-400">none</span>;
    if (value.every(isScalar)) return <span className="font-mono">{value.map(String).join(", ")}</span>;
    if (value.every(isRecord)) {
      const keys = [...new Set(value.flatMap((r) => Object.keys(r)))];
      return (
        <table className="grid-table my-1 text-xs">
          <thead><tr>{keys.map((k) => <th key={k}>{k}</th>)}</tr></thead>
          <tbody>
            {value.map((row, i) => (
              <tr key={i}>{keys.map((k) => <td key={k} className="font-mono">{row[k] === undefined ? "" : <PanelView value={row[k]!} depth={depth + 1} />}</td>)}</tr>
            ))}
          </tbody>
        </table>
      );
    }
    return <span className="font-mono text-xs">{JSON.stringify(value)}</span>;
  }
  if (!isRecord(value)) return null;
  const entries = Object.entries(value);
  const simple = entries.filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
  const complex = entries.filter(([, v]) => !(isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
  return (
    <div className={depth > 0 ? "text-xs" : ""}>
      {simple.length ? (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 font-mono text-xs">
          {simple.map(([k, v]) => (
            <div key={k} className="contents"><dt className="text-slate-500">{k}</dt><dd><PanelView value={v} depth={depth + 1} /></dd></div>
          ))}
        </dl>
      ) : null}
      {complex.map(([k, v]) => (
        <div key={k} className="mt-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{k}</h4>
          <PanelView value={v} depth={depth + 1} />
        </div>
      ))}
    </div>
  );
}
