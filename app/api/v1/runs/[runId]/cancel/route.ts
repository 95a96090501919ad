import { route } from "@/lib/api/http";
import { cancelRun } from "@/lib/runs/actions/cancel-run";

export const POST = route(cancelRun);
