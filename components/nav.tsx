import Link from "next/link";
import { can } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { SignOutButton } from "./sign-out-button";

export function Nav({ user }: { user: SessionUser }) {
  const links = [
    { href: "/clusters", label: "Clusters", show: can(user.role, "inventory:read") },
    { href: "/runs", label: "Runs", show: can(user.role, "runs:read") },
    { href: "/hosts", label: "Hosts", show: can(user.role, "inventory:read") },
    { href: "/credentials", label: "Credentials", show: can(user.role, "inventory:read") },
    { href: "/tools", label: "Tools", show: can(user.role, "inventory:read") },
    { href: "/users", label: "Users", show: can(user.role, "users:manage") },
    { href: "/audit", label: "Audit", show: can(user.role, "audit:read") },
  ].filter((l) => l.show);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-2">
        <Link href="/" className="font-semibold tracking-tight text-sky-800">Keel</Link>
        <nav className="flex gap-3">
          {links.map((l) => (
            <Link key={l.href} href={l.href} className="text-slate-700 hover:text-sky-800">{l.label}</Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-slate-600">
          <span data-testid="whoami">{user.email} · <span className="font-medium">{user.role}</span></span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
