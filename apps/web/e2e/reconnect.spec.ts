import { expect, test } from "@playwright/test";
import { claudeCodeSession, sendHook, waitForSession } from "./agent";
import { CuttableProxy } from "./tcp-proxy";
import { badgeIn, sessionRow } from "./ui";

test("after the live connection drops, the page reconnects by itself and shows what changed meanwhile", async ({
  page,
}) => {
  const proxy = new CuttableProxy(Number(new URL(process.env.E2E_WEB_URL!).port));
  await proxy.start();
  try {
    const known = claudeCodeSession("reconnect");
    await sendHook(known, "session-start");
    await waitForSession(known.id, (s) => s.status === "active");

    await page.goto(`http://127.0.0.1:${proxy.port}/?project=${known.project}`);
    const live = page.locator("[data-live-state]");
    await expect(live).toHaveAttribute("data-live-state", "live");
    await expect(badgeIn(sessionRow(page, known.id))).toHaveAttribute("data-status", "active");

    proxy.drop();
    await expect(live).toHaveAttribute("data-live-state", "reconnecting");

    // Changes while the page cannot hear them: they are in Postgres before the connection returns.
    const newcomer = claudeCodeSession("reconnect-new", known.project);
    await sendHook(known, "stop");
    await sendHook(newcomer, "session-start");
    await waitForSession(known.id, (s) => s.status === "waiting");
    await waitForSession(newcomer.id, (s) => s.status === "active");
    await page.waitForTimeout(1500); // the browser's own retries fail meanwhile
    await expect(sessionRow(page, newcomer.id)).toHaveCount(0);
    await expect(badgeIn(sessionRow(page, known.id))).toHaveAttribute("data-status", "active");

    proxy.restore();
    await expect(live).toHaveAttribute("data-live-state", "live", { timeout: 15_000 });
    await expect(badgeIn(sessionRow(page, known.id))).toHaveAttribute("data-status", "waiting");
    await expect(sessionRow(page, newcomer.id)).toBeVisible();

    // And it is live again, not just refreshed once.
    await sendHook(newcomer, "stop");
    await expect(badgeIn(sessionRow(page, newcomer.id))).toHaveAttribute("data-status", "waiting");
  } finally {
    await proxy.stop();
  }
});
