import { route } from "@/lib/api/http";
import { updateUser } from "@/lib/users/user-actions";

export const PUT = route(updateUser);
