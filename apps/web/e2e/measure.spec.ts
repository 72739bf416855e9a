/**
 * Figures, not pass/fail thresholds (DEVELOPERS.md: speed is measured, not asserted):
 * - POST → row visible: a hook posted to ingest until its row is in the page's DOM (median of 20);
 * - the sessions page with 10,000 sessions: navigation to first row visible, and the API page time.
 * Run: `npm run measure -w @pulse/web` (needs `npm run build`). Writes test-results/measurements.json.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { claudeCodeSession, readStats, sendEvents, sendHook, unique } from "./agent";
import { WEB_DIR } from "./paths";
import { openLive } from "./ui";

const figures: Record<string, unknown> = {};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const summary = (values: number[]) => ({
  n: values.length,
  median_ms: quantile(values, 0.5),
  p90_ms: quantile(values, 0.9),
  min_ms: Math.min(...values),
  max_ms: Math.max(...values),
});

test.afterAll(() => {
  writeFileSync(path.join(WEB_DIR, "test-results/measurements.json"), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
});

test("POST to ingest → row visible on an open sessions page (20 sessions)", async ({ page }) => {
  const project = unique("e2e-latency");
  await openLive(page, `/?project=${project}`);
  // The page notes when each row first appears (a MutationObserver, so the test's polling adds nothing).
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __rowSeen: Record<string, number> }).__rowSeen = seen;
    new MutationObserver(() => {
      for (const row of document.querySelectorAll("tr[data-session-id]")) {
        const id = row.getAttribute("data-session-id")!;
        if (!(id in seen)) seen[id] = Date.now();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const session = claudeCodeSession(`lat-${i}`, project);
    const posted = Date.now();
    await sendHook(session, "session-start");
    const seenAt = await page.waitForFunction(
      (id) => (window as unknown as { __rowSeen: Record<string, number> }).__rowSeen[id],
      session.id,
      { polling: 10, timeout: 10_000 },
    );
    latencies.push((await seenAt.jsonValue()) - posted);
    await page.waitForTimeout(100);
  }
  figures.post_to_row_visible = summary(latencies);
});

test("the sessions page with 10,000 sessions", async ({ page, request }) => {
  const before = (await readStats()).total;
  const project = unique("e2e-bulk");
  const started = Date.now();
  const now = Date.now();
  const batch: Parameters<typeof sendEvents>[0] = [];
  for (let i = 0; i < 10_000; i++) {
    const t = now - 23 * 3600_000 + i * 8_000;
    const id = `bulk-${project}-${String(i).padStart(5, "0")}`;
    batch.push({ session_id: id, project: `${project}-${i % 25}`, kind: "start", time: new Date(t).toISOString() });
    batch.push({
      session_id: id,
      project: `${project}-${i % 25}`,
      kind: "end",
      time: new Date(t + 60_000).toISOString(),
    });
    if (batch.length === 1000) await sendEvents(batch.splice(0));
  }
  await expect
    .poll(async () => (await readStats()).total, { timeout: 120_000, intervals: [500] })
    .toBeGreaterThanOrEqual(before + 10_000);
  figures.seed_10k_sessions_ms = Date.now() - started;

  const rowsVisible: number[] = [];
  const chartVisible: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    // "commit": start the clock at navigation, not after the load event.
    await page.goto(`${process.env.E2E_WEB_URL}/`, { waitUntil: "commit" });
    await expect(page.locator("tr[data-session-id]").first()).toBeVisible();
    rowsVisible.push(Date.now() - t0);
    await expect(page.locator(".chart-svg").first()).toBeVisible();
    chartVisible.push(Date.now() - t0);
  }
  figures.page_load_10k_sessions = { first_row_visible: summary(rowsVisible), chart_visible: summary(chartVisible) };
  const nav = await page.evaluate(() => {
    const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      ttfb_ms: Math.round(entry.responseStart),
      dom_content_loaded_ms: Math.round(entry.domContentLoadedEventEnd),
      load_ms: Math.round(entry.loadEventEnd),
    };
  });
  figures.page_load_10k_last_navigation = nav;
  const timeline: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    expect((await request.get(`${process.env.E2E_WEB_URL}/api/stats/timeline`)).ok()).toBe(true);
    timeline.push(Date.now() - t0);
  }
  figures.api_timeline_24h = summary(timeline);

  const apiTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = Date.now();
    expect((await request.get(`${process.env.E2E_WEB_URL}/api/sessions?limit=100`)).ok()).toBe(true);
    apiTimes.push(Date.now() - t0);
  }
  figures.api_sessions_page_of_100 = summary(apiTimes);

  // Paging through: five "Show more" clicks (600 rows on screen).
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) {
    const count = await page.locator("tr[data-session-id]").count();
    await page.getByRole("button", { name: /Show 100 more/ }).click();
    await expect.poll(() => page.locator("tr[data-session-id]").count()).toBeGreaterThan(count);
  }
  figures.show_more_5_pages_ms = Date.now() - t0;

  // Free text over 10,000 sessions.
  const t1 = Date.now();
  await page.getByLabel("Search").fill(`${project}-00042`);
  await expect(page.locator("tr[data-session-id]")).toHaveCount(1, { timeout: 10_000 });
  figures.search_10k_ms = Date.now() - t1;
});
