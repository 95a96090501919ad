import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // `?? ""` rather than env("DATABASE_URL"): env() throws when the variable is
  // unset, and `prisma generate` must work without any database.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
