import { route } from "@/lib/api/http";
import { previewRun } from "@/lib/runs/actions/preview-run";

export const POST = route(previewRun);
