import { z } from "zod";
import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { listUsers } from "@/lib/inventory/queries";
import { createUser } from "@/lib/users/user-actions";

export const GET = readRoute("user.list", "users:manage", z.object({}), () => listUsers());
export const POST = route(createUser, 201);
