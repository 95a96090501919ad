import { z } from "zod";
import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { deleteCluster } from "@/lib/inventory/clusters/delete-cluster";
import { updateCluster } from "@/lib/inventory/clusters/update-cluster";
import { idField } from "@/lib/inventory/fields";
import { getCluster } from "@/lib/inventory/queries";

export const GET = readRoute("cluster.read", "inventory:read", z.object({ id: idField }), ({ id }) => getCluster(id));
export const PUT = route(updateCluster);
export const DELETE = route(deleteCluster);
