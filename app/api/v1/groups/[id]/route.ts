import { deleteGroup } from "@/lib/inventory/groups/group-actions";
import { route } from "@/lib/api/http";

export const DELETE = route(deleteGroup);
