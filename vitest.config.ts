import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "lab/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", ".next", "lab/.build", "lab/.run"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    pool: "forks",
    env: { KEEL_SIGNIN_RATE_PER_MINUTE: "10", LOG_LEVEL: "warn" },
  },
});
