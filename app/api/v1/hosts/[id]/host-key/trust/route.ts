import { route } from "@/lib/api/http";
import { trustHostKey } from "@/lib/inventory/hosts/host-key-actions";

export const POST = route(trustHostKey);
