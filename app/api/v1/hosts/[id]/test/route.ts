import { route } from "@/lib/api/http";
import { testHostConnection } from "@/lib/inventory/hosts/host-key-actions";

export const POST = route(testHostConnection);
