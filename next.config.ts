import type { NextConfig } from "next";

const config: NextConfig = {
  serverExternalPackages: ["ssh2", "pg", "pino", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
