import { z } from "zod";
import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { createHost } from "@/lib/inventory/hosts/host-actions";
import { listHosts } from "@/lib/inventory/queries";

export const GET = readRoute("host.list", "inventory:read", z.object({}), () => listHosts());
export const POST = route(createHost, 201);
