import { defineConfig } from "@playwright/test";
import { STORAGE_STATE } from "./e2e/paths";

/**
 * End-to-end tests in Debian's Chromium against the real stack (see e2e/stack.ts). `measure` holds
 * the latency and 10,000-session figures: run with `npm run measure -w @pulse/web`, not part of `npm test`.
 */
const measuring = process.env.PULSE_E2E_MEASURE === "1";

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "./test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: measuring ? 300_000 : 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  projects: measuring
    ? [{ name: "measure", testMatch: /measure\.spec\.ts$/ }]
    : [
        // First, while the stack is still empty.
        { name: "empty-state", testMatch: /empty-state\.spec\.ts$/ },
        {
          name: "e2e",
          testMatch: /\.spec\.ts$/,
          testIgnore: [/empty-state\.spec\.ts$/, /measure\.spec\.ts$/],
          dependencies: ["empty-state"],
        },
      ],
  use: {
    storageState: STORAGE_STATE,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
