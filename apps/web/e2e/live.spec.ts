import { expect, test } from "@playwright/test";
import { claudeCodeSession, readStats, sendHook } from "./agent";
import { badgeIn, openLive, sessionRow } from "./ui";

test("a session posted by an agent appears without reload, turns amber on Stop and grey with 'exited' on SessionEnd", async ({
  page,
}) => {
  await openLive(page, "/");
  const session = claudeCodeSession("live");
  const row = sessionRow(page, session.id);
  await expect(row).toHaveCount(0);

  await sendHook(session, "session-start");
  await sendHook(session, "user-prompt-submit", { prompt: "Make the flaky test pass" });
  await expect(row).toBeVisible({ timeout: 3000 });
  await expect(badgeIn(row)).toHaveAttribute("data-status", "active");
  await expect(badgeIn(row)).toHaveText("working");
  await expect(row).toContainText("Make the flaky test pass");
  // Grouped under its project (named after the folder).
  await expect(page.locator("tbody.project-group", { has: row }).locator(".group-row th")).toContainText(
    session.project,
  );

  // "last seen" ticks without a reload.
  const lastSeen = row.locator(".cell-last-seen");
  const before = await lastSeen.textContent();
  await expect.poll(() => lastSeen.textContent(), { timeout: 4000 }).not.toBe(before);

  await sendHook(session, "notification-permission");
  await expect(badgeIn(row)).toHaveAttribute("data-status", "waiting");
  await expect(badgeIn(row)).toContainText("permission");

  await sendHook(session, "pre-tool-use");
  await expect(badgeIn(row)).toHaveAttribute("data-status", "active");

  await sendHook(session, "stop");
  await expect(badgeIn(row)).toHaveAttribute("data-status", "waiting");
  await expect(badgeIn(row)).toContainText("turn ended");

  await sendHook(session, "session-end");
  await expect(badgeIn(row)).toHaveAttribute("data-status", "ended");
  await expect(badgeIn(row)).toContainText("exited");
  // Six events so far, counted live.
  await expect(row.locator('td[data-label="Events"]')).toHaveText("6");
});

test("the KPI cards follow live changes", async ({ page }) => {
  await openLive(page, "/");
  const shown = async () =>
    [
      await page.locator('[data-kpi="Working now"]').textContent(),
      await page.locator('[data-kpi="Waiting on you"]').textContent(),
    ].join("/");
  // Compared with what ingest says at the time: other sessions may change meanwhile (the reaper runs).
  const truth = async () => {
    const stats = await readStats();
    return `${stats.active}/${stats.waiting}`;
  };
  const session = claudeCodeSession("kpi");
  for (const hook of ["session-start", "stop", "session-end"] as const) {
    const before = await truth();
    await sendHook(session, hook);
    await expect.poll(truth).not.toBe(before);
    await expect.poll(async () => (await shown()) === (await truth()), { timeout: 4000 }).toBe(true);
  }
});
