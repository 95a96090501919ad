import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/page";

export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/login");
  redirect(user.role === "AUDITOR" ? "/audit" : "/clusters");
}
