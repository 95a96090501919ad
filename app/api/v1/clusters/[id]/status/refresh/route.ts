import { route } from "@/lib/api/http";
import { refreshClusterStatus } from "@/lib/status/refresh-action";

export const POST = route(refreshClusterStatus);
