import { expect, test } from "@playwright/test";
import { readSession, sendEvents, unique, waitForSession } from "./agent";
import { DEFAULT_SETTLE_SECONDS, setSettleSeconds } from "./notify-api";
import { appearedAt, openLive } from "./ui";

// Settle 0: a wait on the user joins the inbox as soon as it arrives (the global setting, put back after).
test.beforeAll(() => setSettleSeconds(0));
test.afterAll(() => setSettleSeconds(DEFAULT_SETTLE_SECONDS));

const inboxItem = (page: import("@playwright/test").Page, id: string) =>
  page.locator(`[data-testid="inbox"] .inbox-item[data-session-id="${id}"]`);

test("a permission wait appears in the Needs-you inbox within a second and leaves it when the session goes on", async ({
  page,
}) => {
  const project = unique("e2e-inbox");
  const id = unique("s-inbox");
  await sendEvents([{ session_id: id, kind: "prompt", project, host: "devbox", detail: "run the tests" }]);
  await waitForSession(id, (s) => s.status === "active");
  // Filtered to ended sessions and to another project: the inbox does not follow the list's filters.
  await openLive(page, `/?status=ended&project=${encodeURIComponent(unique("elsewhere"))}`);
  const item = inboxItem(page, id);
  await expect(item).toHaveCount(0);

  const posted = Date.now();
  await sendEvents([
    { session_id: id, kind: "attention", waiting_reason: "permission", tool: "Bash", detail: "npm test", project },
  ]);
  const elapsed = (await appearedAt(page, `.inbox-item[data-session-id="${id}"]`, 5_000)) - posted;
  console.log(`permission wait: event POST → inbox row visible in ${elapsed} ms`);
  expect(elapsed).toBeLessThanOrEqual(1_000);
  await expect(item).toContainText("Bash: npm test");
  await expect(item).toContainText("permission");
  await expect(item).toContainText(project);
  await expect(item).toContainText("devbox");
  await expect(item.locator(".source")).toHaveText(/e2e$/);
  await expect(item.locator("a")).toHaveAttribute("href", `/sessions/${id}`);
  // How long it has waited ticks.
  const waited = item.locator(".inbox-waited");
  const before = await waited.textContent();
  await expect.poll(() => waited.textContent(), { timeout: 3_000 }).not.toBe(before);

  await sendEvents([{ session_id: id, kind: "tool", tool: "Bash", detail: "npm test", project }]);
  await expect(item).toHaveCount(0, { timeout: 3_000 });
});

test("waits that are not on the user (a finished turn) stay out of the inbox; the oldest wait comes first", async ({
  page,
}) => {
  const project = unique("e2e-inbox-order");
  const [older, newer, turnEnded] = [unique("s-older"), unique("s-newer"), unique("s-turn")];
  await openLive(page, "/");
  const t = Date.now();
  await sendEvents([
    {
      session_id: newer,
      kind: "attention",
      waiting_reason: "question",
      detail: "Which branch?",
      project,
      time: new Date(t - 5_000).toISOString(),
    },
    {
      session_id: older,
      kind: "attention",
      waiting_reason: "error",
      detail: "API error 529",
      project,
      time: new Date(t - 60_000).toISOString(),
    },
    { session_id: turnEnded, kind: "turn_end", project },
  ]);
  await expect(inboxItem(page, newer)).toBeVisible();
  await expect(inboxItem(page, older)).toBeVisible();
  await waitForSession(turnEnded, (s) => s.status === "waiting");
  await expect(inboxItem(page, turnEnded)).toHaveCount(0);
  const order = await page
    .locator(`[data-testid="inbox"] .inbox-item`)
    .evaluateAll(
      (items, ids) => items.map((i) => i.getAttribute("data-session-id")).filter((x) => ids.includes(x!)),
      [older, newer],
    );
  expect(order).toEqual([older, newer]);
  await sendEvents([
    { session_id: older, kind: "end", project },
    { session_id: newer, kind: "end", project },
    { session_id: turnEnded, kind: "end", project },
  ]);
});

test("the session page shows the current wait, each wait on the timeline with its length, and the time waited on you", async ({
  page,
}) => {
  const project = unique("e2e-waits");
  const id = unique("s-waits");
  const t0 = Date.now() - 120_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  await sendEvents([
    { session_id: id, kind: "prompt", project, detail: "deploy", time: at(0) },
    {
      session_id: id,
      kind: "attention",
      waiting_reason: "permission",
      tool: "Bash",
      detail: "make deploy",
      project,
      time: at(10),
    },
    { session_id: id, kind: "tool", tool: "Bash", project, time: at(25) },
    { session_id: id, kind: "turn_end", project, time: at(30) },
    { session_id: id, kind: "prompt", project, detail: "again", time: at(40) },
    { session_id: id, kind: "attention", waiting_reason: "question", detail: "Which region?", project, time: at(50) },
  ]);
  const session = await waitForSession(id, (s) => s.status === "waiting" && s.event_count === 6);
  expect(session.waited_ms).toBe(15_000);
  await openLive(page, `/sessions/${id}`);
  await expect(page.getByTestId("current-wait")).toContainText("Which region?");
  const waits = page.locator('[data-marker="wait"]');
  await expect(waits).toHaveCount(3);
  await expect(waits.nth(0)).toHaveText("Waited on you: 15 s");
  await expect(waits.nth(1)).toHaveText("Waited for the next prompt: 10 s");
  await expect(waits.nth(2)).toContainText("so far");
  // 15 s of finished waits plus the current one (~70 s and counting).
  await expect(page.getByTestId("waited-on-you")).toHaveText(/^1 min \d\d s$/);

  await sendEvents([{ session_id: id, kind: "prompt", project, detail: "eu-west-1" }]);
  await expect(page.getByTestId("current-wait")).toHaveCount(0);
  await expect(waits.nth(2)).toHaveText(/^Waited on you: 1 min \d\d s$/);
  const after = await readSession(id);
  expect(after?.waited_ms).toBeGreaterThan(60_000);
  // The list shows it per session too.
  await openLive(page, `/?project=${encodeURIComponent(project)}`);
  await expect(page.locator(`tr[data-session-id="${id}"] td[data-label="Waited on you"]`)).toHaveText(/^1 min \d\d s$/);
});
