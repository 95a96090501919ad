import { route } from "@/lib/api/http";
import { confirmStep } from "@/lib/runs/actions/confirm-step";

export const POST = route(confirmStep);
