import { deleteCredential, updateCredential } from "@/lib/inventory/credentials/credential-actions";
import { route } from "@/lib/api/http";

export const PUT = route(updateCredential);
export const DELETE = route(deleteCredential);
