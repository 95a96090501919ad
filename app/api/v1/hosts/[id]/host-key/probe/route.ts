import { route } from "@/lib/api/http";
import { probeHostKeyAction } from "@/lib/inventory/hosts/host-key-actions";

export const POST = route(probeHostKeyAction);
