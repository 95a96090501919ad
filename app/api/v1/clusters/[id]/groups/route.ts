import { createGroup } from "@/lib/inventory/groups/group-actions";
import { route } from "@/lib/api/http";

const create = route(createGroup, 201);
// The cluster comes from the path: /clusters/{id}/groups.
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return create(req, { params: Promise.resolve({ clusterId: id }) });
}
