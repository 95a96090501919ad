import { route } from "@/lib/api/http";
import { resetPassword } from "@/lib/users/user-actions";

export const POST = route(resetPassword);
