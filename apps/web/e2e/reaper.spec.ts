import { expect, test } from "@playwright/test";
import { claudeCodeSession, sendHook } from "./agent";
import { badgeIn, openLive, sessionRow } from "./ui";

test("a session silent for longer than the stale timeout shows 'timed out' once the reaper runs", async ({ page }) => {
  const session = claudeCodeSession("stale");
  await openLive(page, `/?project=${session.project}`);
  // Its events happened 10 minutes ago: older than the stack's 2-minute timeout, no waiting needed.
  const past = Date.now() - 10 * 60_000;
  await sendHook(session, "session-start", { time: new Date(past) });
  await sendHook(session, "user-prompt-submit", {
    time: new Date(past + 2_000),
    prompt: "Left running when the laptop slept",
  });

  const row = sessionRow(page, session.id);
  await expect(row).toBeVisible();
  await expect(badgeIn(row)).toHaveAttribute("data-status", "ended", { timeout: 8000 });
  await expect(badgeIn(row)).toContainText("timed out");
  // Ended at its last event: the duration is the 2 s it was seen alive, not the 10 minutes since.
  await expect(row.locator('td[data-label="Duration"]')).toHaveText("2 s");
});
