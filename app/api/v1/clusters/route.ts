import { z } from "zod";
import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { createCluster } from "@/lib/inventory/clusters/create-cluster";
import { listClusters } from "@/lib/inventory/queries";

export const GET = readRoute("cluster.list", "inventory:read", z.object({}), () => listClusters());
export const POST = route(createCluster, 201);
