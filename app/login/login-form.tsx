"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const res = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: String(data.get("email") ?? "").trim(), password: String(data.get("password") ?? "") }),
    }).catch(() => null);
    setBusy(false);
    if (!res) return setError("Keel's server cannot be reached.");
    if (res.ok) {
      router.replace("/");
      router.refresh();
      return;
    }
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    setError(res.status === 401 ? "Wrong e-mail or password." : (body.message ?? `Sign-in failed (HTTP ${res.status}).`));
  }

  return (
    <form onSubmit={submit} className="card space-y-3">
      <div>
        <label htmlFor="email" className="mb-0.5 block text-xs font-medium">E-mail</label>
        <input id="email" name="email" type="email" className="input" autoComplete="username" required />
      </div>
      <div>
        <label htmlFor="password" className="mb-0.5 block text-xs font-medium">Password</label>
        <input id="password" name="password" type="password" className="input" autoComplete="current-password" required />
      </div>
      {error ? <p role="alert" className="text-red-700" data-testid="login-error">{error}</p> : null}
      <button type="submit" className="btn btn-primary w-full justify-center" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
    </form>
  );
}
