"use client";

import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { callApi } from "../api-client";
import { Badge } from "../badge";
import { FindingsTable, findingSchema } from "./findings-table";

const resultSchema = z.object({
  clusterName: z.string(),
  files: z.array(z.object({ node: z.string(), host: z.string(), fileName: z.string(), read: z.boolean(), cmUiPort: z.number().nullable(), message: z.string() })),
  findings: z.array(findingSchema),
});

/** Reads each instance's $TB_HOME/config/<sid>.tip over SSH (audited `cat`) and validates the set. */
export function TiberoTipsHostPanel({ clusterId }: { clusterId: string }) {
  const check = useMutation({ mutationFn: async () => resultSchema.parse(await callApi("POST", `/api/v1/clusters/${clusterId}/tibero-tips`, {})) });
  return (
    <section className="card space-y-2" data-testid="tip-host-panel">
      <div className="flex items-center gap-2">
        <h2 className="font-semibold">Tip files</h2>
        <p className="text-xs text-slate-600">Reads every instance&apos;s <span className="font-mono">$TB_HOME/config/&lt;SID&gt;.tip</span> (and its CM&apos;s CM_UI_PORT) from the hosts and checks them together. Changes nothing.</p>
        <button type="button" className="btn ml-auto" disabled={check.isPending} onClick={() => check.mutate()}>
          {check.isPending ? "Reading…" : "Check tip files on the hosts"}
        </button>
      </div>
      {check.error ? <p role="alert" className="text-red-700">{check.error.message}</p> : null}
      {check.data ? (
        <>
          <table className="grid-table" data-testid="tip-reads">
            <thead><tr><th>Instance</th><th>Host</th><th>File</th><th>Read</th><th>CM_UI_PORT</th><th>Note</th></tr></thead>
            <tbody>
              {check.data.files.map((f) => (
                <tr key={f.node}>
                  <td className="font-mono">{f.node}</td>
                  <td className="font-mono">{f.host}</td>
                  <td className="font-mono">{f.fileName}</td>
                  <td>{f.read ? <Badge tone="good">read</Badge> : <Badge tone="bad">failed</Badge>}</td>
                  <td className="font-mono">{f.cmUiPort ?? "—"}</td>
                  <td className="text-slate-600">{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <FindingsTable findings={check.data.findings} testId="host-findings" />
        </>
      ) : null}
    </section>
  );
}
