import { z } from "zod";

import { route } from "@/lib/api/http";
import { readRoute } from "@/lib/api/read";
import { startRun } from "@/lib/runs/actions/start-run";
import { listRuns } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

export const GET = readRoute("run.list", "runs:read", z.object({ clusterId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).optional() }), (input) => listRuns(input));

export const POST = route(startRun, 201);
