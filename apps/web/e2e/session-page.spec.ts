import { expect, test } from "@playwright/test";
import { claudeCodeSession, sendHook, waitForSession } from "./agent";
import { badgeIn, openLive, sessionRow } from "./ui";

test("the session page shows the timeline with turns, and updates live", async ({ page }) => {
  const session = claudeCodeSession("detail");
  const t0 = Date.now() - 60_000;
  await sendHook(session, "session-start", { time: new Date(t0) });
  await sendHook(session, "user-prompt-submit", { time: new Date(t0 + 4_000), prompt: "Explain the retry logic" });
  await sendHook(session, "pre-tool-use", { time: new Date(t0 + 9_000) });
  await sendHook(session, "stop", { time: new Date(t0 + 30_000) });
  await waitForSession(session.id, (s) => s.status === "waiting");

  await openLive(page, `/sessions/${encodeURIComponent(session.id)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Explain the retry logic");
  await expect(badgeIn(page.locator(".session-header"))).toContainText("turn ended");
  const timeline = page.getByRole("list", { name: "Events, oldest first" });
  await expect(timeline.locator(".tl-event")).toHaveCount(4);
  await expect(timeline.locator(".tl-event").nth(0)).toHaveAttribute("data-kind", "start");
  await expect(timeline.locator(".tl-turn")).toHaveText("Turn 1");
  await expect(timeline.locator(".tl-turn-end")).toHaveCount(1);
  // Gaps between events: prompt 4 s after start, tool 5 s after the prompt.
  await expect(timeline.locator(".tl-event").nth(1).locator(".tl-gap")).toHaveText("+4 s");
  await expect(timeline.locator(".tl-event").nth(2).locator(".tl-gap")).toHaveText("+5 s");
  await expect(timeline.locator(".tl-event").nth(2)).toContainText("Bash");

  // An event after SessionEnd reopens the session: both are marked.
  await sendHook(session, "session-end", { time: new Date(t0 + 40_000) });
  await expect(timeline.locator('[data-marker="end"]')).toHaveCount(1);
  await sendHook(session, "user-prompt-submit", { prompt: "One more thing" });
  await expect(timeline.locator('[data-marker="reopen"]')).toHaveCount(1);
  await expect(badgeIn(page.locator(".session-header"))).toHaveAttribute("data-status", "active");
  await expect(page.locator(".facts")).toContainText("1×");
});

test("Close session asks first, then ends the session live on every open page", async ({ page, context }) => {
  const session = claudeCodeSession("close");
  await sendHook(session, "session-start");
  await sendHook(session, "user-prompt-submit", { prompt: "Close me from the dashboard" });
  await waitForSession(session.id, (s) => s.status === "active");

  // A second tab on the sessions list must see the close too.
  const list = await context.newPage();
  await openLive(list, `/?project=${session.project}`);
  await expect(badgeIn(sessionRow(list, session.id))).toHaveAttribute("data-status", "active");

  await openLive(page, `/sessions/${encodeURIComponent(session.id)}`);
  const header = page.locator(".session-header");
  const dialog = page.getByRole("dialog", { name: "Close this session?" });

  // Cancel (and Escape) leave it open.
  await page.getByRole("button", { name: "Close session" }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Close session" }).focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(badgeIn(header)).toHaveAttribute("data-status", "active");

  await page.getByRole("button", { name: "Close session" }).click();
  await dialog.getByRole("button", { name: "Close session" }).click();
  await expect(dialog).toBeHidden();
  await expect(badgeIn(header)).toHaveAttribute("data-status", "ended");
  await expect(badgeIn(header)).toContainText("closed");
  await expect(page.getByRole("button", { name: "Close session" })).toHaveCount(0);
  await expect(page.locator('[data-marker="end"]')).toContainText("closed by hand");

  await expect(badgeIn(sessionRow(list, session.id))).toHaveAttribute("data-status", "ended");
  await expect(badgeIn(sessionRow(list, session.id))).toContainText("closed");
  expect((await waitForSession(session.id, (s) => s.status === "ended")).end_reason).toBe("closed");
});

test("an unknown session id shows a not-found page", async ({ page }) => {
  const response = await page.goto(`${process.env.E2E_WEB_URL}/sessions/no-such-session-here`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such session" })).toBeVisible();
});

test("a session started by /clear links to the one it continues", async ({ page }) => {
  const before = claudeCodeSession("before-clear");
  const after = claudeCodeSession("after-clear", before.project);
  await sendHook(before, "session-start");
  await sendHook(before, "user-prompt-submit", { prompt: "First part of the work" });
  await sendHook(before, "session-end-clear");
  // Claude Code sends these two at once. Here the end is applied first, so this tests what the page
  // shows; when both land within a few ms, ingest sometimes leaves the link out (reported to the backend).
  await waitForSession(before.id, (s) => s.status === "ended");
  await sendHook(after, "session-start-after-clear");
  await waitForSession(after.id, (s) => (s as { parent_session_id?: string | null }).parent_session_id === before.id);

  await openLive(page, `/sessions/${encodeURIComponent(after.id)}`);
  const link = page.getByTestId("parent-link");
  await expect(link).toContainText(before.id.slice(0, 8));
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${before.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("First part of the work");
});
