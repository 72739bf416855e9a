import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { readStats, sendEvents, unique } from "./agent";
import { REPO_ROOT, SCREENSHOT_DIR } from "./paths";
import { openLive } from "./ui";

const run = promisify(execFile);

// Saved as test artifacts (apps/web/test-results/screenshots/) for a person to look at.
test("screenshots of the sessions page (laptop, phone), of a session page and of the Settings page", async ({
  page,
}) => {
  const before = (await readStats()).total;
  await run(
    process.execPath,
    [path.join(REPO_ROOT, "apps/web/scripts/seed-demo.mjs"), process.env.E2E_INGEST_URL!, "40"],
    {
      env: { ...process.env, PULSE_TOKEN: process.env.E2E_TOKEN },
    },
  );
  await expect.poll(async () => (await readStats()).total, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 40);

  // Two waits on the user, past any settle time, for the inbox.
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  await sendEvents([
    {
      session_id: unique("s-shot-permission"),
      kind: "attention",
      waiting_reason: "permission",
      tool: "Bash",
      detail: "npm run migrate -- --env staging",
      project: "acme-api",
      host: "laptop",
      time: minutesAgo(1),
    },
    {
      session_id: unique("s-shot-question"),
      kind: "attention",
      waiting_reason: "question",
      detail: "Which branch should I rebase onto?",
      project: "web-shop",
      host: "devbox",
      time: minutesAgo(0.5),
    },
  ]);
  await openLive(page, "/");
  await expect(page.locator("tr[data-session-id^='demo-']").first()).toBeVisible();
  await expect(page.locator("[data-testid=inbox] .inbox-item").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /^Concurrent sessions over the last 24 hours/ })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "sessions-page.png") });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "sessions-page-full.png"), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "sessions-page-phone.png") });
  await page.evaluate(() => document.querySelector("#sessions-heading")?.scrollIntoView());
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "sessions-list-phone.png") });
  await page.setViewportSize({ width: 1400, height: 900 });

  const demo = page.locator("tr[data-session-id^='demo-0000'] a.session-link").first();
  await demo.click();
  await expect(page.getByRole("list", { name: "Events, oldest first" })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "session-page.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "session-page-phone.png") });

  await page.setViewportSize({ width: 1400, height: 900 });

  await page.goto(`${process.env.E2E_WEB_URL}/settings`);
  await expect(page.getByRole("form", { name: "Add a channel" })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "settings-page.png"), fullPage: true });
});
