import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Nav } from "@/components/nav";
import { currentUser } from "@/lib/auth/page";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = { title: "Keel", description: "Control plane for database clusters" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <Providers>
          {user ? <Nav user={user} /> : null}
          <main className="mx-auto max-w-7xl px-4 py-4">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
