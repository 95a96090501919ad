import { route } from "@/lib/api/http";
import { readClusterTipsAction } from "@/lib/tools/tibero-tips-read";

/** Reads every instance tip from its host (audited) and validates them together; changes nothing. */
export const POST = route(readClusterTipsAction);
