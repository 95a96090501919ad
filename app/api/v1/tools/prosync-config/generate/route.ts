import { route } from "@/lib/api/http";
import { generateProsyncConfigAction } from "@/lib/tools/prosync-config";

export const POST = route(generateProsyncConfigAction);
