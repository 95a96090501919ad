import { route } from "@/lib/api/http";
import { validateTipsAction } from "@/lib/tools/tibero-tips";

export const POST = route(validateTipsAction);
