import { route } from "@/lib/api/http";
import { validateProsyncConfigAction } from "@/lib/tools/prosync-config";

export const POST = route(validateProsyncConfigAction);
