import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  return toNextJsHandler(auth()).GET(req);
}
export async function POST(req: Request): Promise<Response> {
  return toNextJsHandler(auth()).POST(req);
}
