import { z } from "zod";
import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { createCredential } from "@/lib/inventory/credentials/credential-actions";
import { listCredentials } from "@/lib/inventory/queries";

export const GET = readRoute("credential.list", "inventory:read", z.object({}), () => listCredentials());
export const POST = route(createCredential, 201);
