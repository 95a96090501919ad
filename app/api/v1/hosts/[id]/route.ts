import { deleteHost, updateHost } from "@/lib/inventory/hosts/host-actions";
import { route } from "@/lib/api/http";

export const PUT = route(updateHost);
export const DELETE = route(deleteHost);
