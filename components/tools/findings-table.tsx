import { z } from "zod";
import { Badge } from "../badge";

export const findingSchema = z.object({
  severity: z.enum(["error", "warning"]),
  file: z.string(),
  line: z.number(),
  key: z.string(),
  message: z.string(),
  fix: z.string(),
});
export type FindingRow = z.infer<typeof findingSchema>;

/** One row per broken rule: where (file, line), what, and the fix. Line 0 = the key is missing. */
export function FindingsTable({ findings, testId = "findings" }: { findings: FindingRow[]; testId?: string }) {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  return (
    <div data-testid={testId}>
      <p className="mb-1 text-slate-700" data-testid={`${testId}-summary`}>
        {findings.length === 0 ? <Badge tone="good">no problems found</Badge> : (
          <>
            {errors > 0 ? <Badge tone="bad">{errors} error{errors === 1 ? "" : "s"}</Badge> : null}{" "}
            {warnings > 0 ? <Badge tone="warn">{warnings} warning{warnings === 1 ? "" : "s"}</Badge> : null}
          </>
        )}
      </p>
      {findings.length > 0 ? (
        <table className="grid-table">
          <thead><tr><th /><th>File</th><th>Line</th><th>Problem</th><th>Fix</th></tr></thead>
          <tbody>
            {findings.map((f, i) => (
              <tr key={`${f.file}-${f.line}-${i}`} data-testid="finding">
                <td>{f.severity === "error" ? <Badge tone="bad">error</Badge> : <Badge tone="warn">warning</Badge>}</td>
                <td className="font-mono whitespace-nowrap">{f.file}</td>
                <td className="font-mono">{f.line === 0 ? <span className="text-slate-500" title="the key is missing">—</span> : f.line}</td>
                <td>{f.message}</td>
                <td className="text-slate-700">{f.fix}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
