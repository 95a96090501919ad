import { route } from "@/lib/api/http";
import { previewImport } from "@/lib/inventory/import/import-actions";

const handler = route(previewImport);
// The cluster comes from the path: /clusters/{id}/import/preview.
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return handler(req, { params: Promise.resolve({ clusterId: id }) });
}
