import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/page";
import { LoginForm } from "./login-form";

export default async function LoginPage() {
  if (await currentUser()) redirect("/");
  return (
    <div className="mx-auto mt-16 max-w-sm">
      <h1 className="mb-1 text-xl font-semibold text-sky-800">Keel</h1>
      <p className="mb-4 text-slate-600">Sign in to the cluster control plane.</p>
      <LoginForm />
    </div>
  );
}
