import { defineConfig } from "@playwright/test";
import path from "node:path";

const port = Number(process.env.KEEL_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const workerPort = Number(process.env.KEEL_E2E_WORKER_PORT ?? port + 99);
const profileDir = path.join(import.meta.dirname, ".data", "chromium");

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  outputDir: "test-results/artifacts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.KEEL_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
      env: { ...process.env, XDG_CONFIG_HOME: profileDir, XDG_CACHE_HOME: profileDir },
    },
  },
  webServer: [{
    command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...(process.env as Record<string, string>),
      KEEL_BASE_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      KEEL_SIGNIN_RATE_PER_MINUTE: "500",
      // Sample every 2 s, so a fault shows within one interval of the test's own timeouts.
      KEEL_SAMPLE_INTERVAL_S: "2",
      KEEL_ACTIVE_SAMPLE_INTERVAL_S: "1",
    },
  }, {
    // The run worker, as the demo starts it beside the console.
    command: "node --import tsx worker/main.ts",
    url: `http://127.0.0.1:${workerPort}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { ...(process.env as Record<string, string>), KEEL_WORKER_PORT: String(workerPort) },
  }],
});
