"use client";

import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { callApi } from "./api-client";

const reportSchema = z.union([
  z.object({ intact: z.literal(true), count: z.number() }),
  z.object({ intact: z.literal(false), count: z.number(), brokenId: z.string(), reason: z.string() }),
]);

export function AuditVerify() {
  const verify = useMutation({ mutationFn: async () => reportSchema.parse(await callApi("POST", "/api/v1/audit/verify", {})) });
  const report = verify.data;
  return (
    <div className="flex items-center gap-2">
      <button type="button" className="btn" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </button>
      <span role="status" data-testid="verify-result">
        {report?.intact === true ? <span className="text-emerald-800">intact, {report.count} events</span> : null}
        {report?.intact === false ? <span className="text-red-700">broken at event {report.brokenId}: {report.reason}</span> : null}
        {verify.error ? <span className="text-red-700">{verify.error.message}</span> : null}
      </span>
    </div>
  );
}
