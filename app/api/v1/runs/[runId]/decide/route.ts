import { route } from "@/lib/api/http";
import { decideRun } from "@/lib/runs/actions/decide-run";

export const POST = route(decideRun);
