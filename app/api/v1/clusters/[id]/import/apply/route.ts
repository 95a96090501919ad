import { route } from "@/lib/api/http";
import { applyImport } from "@/lib/inventory/import/import-actions";

const handler = route(applyImport);
// The cluster comes from the path: /clusters/{id}/import/apply.
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return handler(req, { params: Promise.resolve({ clusterId: id }) });
}
