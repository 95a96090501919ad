import { deleteNode, updateNode } from "@/lib/inventory/nodes/node-actions";
import { route } from "@/lib/api/http";

export const PUT = route(updateNode);
export const DELETE = route(deleteNode);
