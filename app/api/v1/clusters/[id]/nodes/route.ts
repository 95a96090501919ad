import { createNode } from "@/lib/inventory/nodes/node-actions";
import { route } from "@/lib/api/http";

const create = route(createNode, 201);
// The cluster comes from the path: /clusters/{id}/nodes.
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return create(req, { params: Promise.resolve({ clusterId: id }) });
}
