import { z } from "zod";
import { readRoute } from "@/lib/api/read";
import { idField } from "@/lib/inventory/fields";
import { latestState } from "@/lib/status/queries";

export const dynamic = "force-dynamic";

export const GET = readRoute("cluster.status", "inventory:read", z.object({ id: idField }), async ({ id }) => ({
  state: await latestState(id),
  intervalS: Math.max(1, Number(process.env.KEEL_SAMPLE_INTERVAL_S ?? 10)),
  now: new Date().toISOString(),
}));
