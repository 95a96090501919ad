import { z } from "zod";

import { readRoute } from "@/lib/api/read";
import { getRunView } from "@/lib/runs/queries";

export const dynamic = "force-dynamic";

export const GET = readRoute("run.read", "runs:read", z.object({ runId: z.uuid() }), ({ runId }) => getRunView(runId));
