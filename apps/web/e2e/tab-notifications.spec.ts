import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { readSession, sendEvents, unique, waitForSession } from "./agent";
import { DEFAULT_SETTLE_SECONDS, setSettleSeconds } from "./notify-api";
import { appearedAt, openLive, webUrl } from "./ui";

const SETTLE_SECONDS = 2;
test.beforeAll(() => setSettleSeconds(SETTLE_SECONDS));
test.afterAll(() => setSettleSeconds(DEFAULT_SETTLE_SECONDS));

interface Seen {
  /** Each `new Notification(title, {tag})`, in every page of the context, across reloads. */
  notifications: { title: string; body: string; tag: string }[];
  permissionRequests: number;
}

/**
 * Observes the page's Notification API without replacing it: every construction and permission
 * request is reported to the test (a binding survives reloads), then handed to the real one.
 */
async function observeNotifications(context: BrowserContext): Promise<Seen> {
  const seen: Seen = { notifications: [], permissionRequests: 0 };
  await context.exposeBinding("__pulseSawNotification", (_source, n: Seen["notifications"][number]) => {
    seen.notifications.push(n);
  });
  await context.exposeBinding("__pulseSawPermissionRequest", () => {
    seen.permissionRequests += 1;
  });
  await context.addInitScript(() => {
    const Real = window.Notification;
    if (!Real) return;
    const w = window as unknown as Record<string, (arg?: unknown) => void>;
    function Observed(title: string, options?: NotificationOptions) {
      w.__pulseSawNotification({ title, body: options?.body ?? "", tag: options?.tag ?? "" });
      const real = new Real(title, options);
      ((window as unknown as { __pulseShown?: Notification[] }).__pulseShown ??= []).push(real);
      return real;
    }
    Observed.prototype = Real.prototype;
    Object.defineProperty(Observed, "permission", { get: () => Real.permission });
    Object.defineProperty(Observed, "requestPermission", {
      value: (...args: Parameters<typeof Real.requestPermission>) => {
        w.__pulseSawPermissionRequest();
        return Real.requestPermission(...args);
      },
    });
    Object.defineProperty(window, "Notification", { value: Observed, configurable: true, writable: true });
  });
  return seen;
}

const forSession = (seen: Seen, id: string) => seen.notifications.filter((n) => n.tag.startsWith(`${id}@`));

/** Records every session id that ever shows in the inbox of this page (a wait must never flash by). */
async function watchInbox(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __inboxSeen: Set<string> };
    w.__inboxSeen = new Set();
    const record = () =>
      document
        .querySelectorAll("[data-testid=inbox] .inbox-item")
        .forEach((el) => w.__inboxSeen.add(el.getAttribute("data-session-id") ?? ""));
    record();
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true });
  });
}
const inboxSeen = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { __inboxSeen: Set<string> }).__inboxSeen]);

test("the button asks for permission only when clicked, never on page load", async ({ browser }) => {
  const context = await browser.newContext();
  const seen = await observeNotifications(context);
  const page = await context.newPage();
  await openLive(page, "/");
  const button = page.getByRole("button", { name: "Notify me in this tab" });
  await expect(button).toBeVisible();
  await page.reload();
  await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");
  expect(seen.permissionRequests).toBe(0);
  await page.getByRole("button", { name: "Notify me in this tab" }).click();
  await expect.poll(() => seen.permissionRequests).toBe(1);
  await context.close();
});

test.describe("with notifications allowed", () => {
  let context: BrowserContext;
  let seen: Seen;
  test.beforeEach(async ({ browser }) => {
    context = await browser.newContext();
    await context.grantPermissions(["notifications"], { origin: webUrl() });
    seen = await observeNotifications(context);
  });
  test.afterEach(() => context.close());

  test("a wait kept past the settle time notifies once: not again after a reload, nor for a second event of the same wait", async () => {
    const page = await context.newPage();
    await openLive(page, "/");
    await expect(page.getByRole("button", { name: "🔔 Notifying" })).toBeVisible();
    const project = unique("e2e-notify");
    const id = unique("s-notify");
    await sendEvents([{ session_id: id, kind: "prompt", project, detail: "ship it" }]);
    const posted = Date.now();
    await sendEvents([
      { session_id: id, kind: "attention", waiting_reason: "permission", tool: "Bash", detail: "git push", project },
    ]);
    const first = await waitForSession(id, (s) => s.status === "waiting");
    // Not in the inbox before the settle time, in it once the wait has lasted that long.
    const shownAfter = (await appearedAt(page, `.inbox-item[data-session-id="${id}"]`, 6_000)) - posted;
    console.log(`wait with settle ${SETTLE_SECONDS} s: in the inbox ${shownAfter} ms after its event was posted`);
    expect(shownAfter).toBeGreaterThanOrEqual(SETTLE_SECONDS * 1000 - 100);
    expect(shownAfter).toBeLessThan(SETTLE_SECONDS * 1000 + 1000);
    await expect.poll(() => forSession(seen, id).length, { timeout: 6_000 }).toBe(1);
    expect(forSession(seen, id)[0]).toEqual({
      title: `${project} · e2e waits for permission`,
      body: "Bash: git push",
      tag: `${id}@${first.waiting_since}`,
    });

    await page.reload();
    await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");
    await expect(page.locator(`.inbox-item[data-session-id="${id}"]`)).toBeVisible();
    // The same reason again: the same wait (waiting_since kept).
    await sendEvents([
      { session_id: id, kind: "attention", waiting_reason: "permission", tool: "Bash", detail: "git push", project },
    ]);
    await waitForSession(id, (s) => s.event_count === 3);
    expect((await readSession(id))?.waiting_since).toBe(first.waiting_since);
    await page.waitForTimeout((SETTLE_SECONDS + 1) * 1000);
    expect(forSession(seen, id)).toHaveLength(1);
    await sendEvents([{ session_id: id, kind: "end", project }]);
  });

  test("a wait answered within the settle time neither notifies nor ever shows in the inbox", async () => {
    const page = await context.newPage();
    await openLive(page, "/");
    await watchInbox(page);
    const project = unique("e2e-quick");
    const id = unique("s-quick");
    await sendEvents([{ session_id: id, kind: "attention", waiting_reason: "permission", tool: "Read", project }]);
    await waitForSession(id, (s) => s.status === "waiting");
    await sendEvents([{ session_id: id, kind: "tool", tool: "Read", project }]);
    await waitForSession(id, (s) => s.status === "active");
    await page.waitForTimeout((SETTLE_SECONDS + 1) * 1000);
    expect(forSession(seen, id)).toHaveLength(0);
    expect(await inboxSeen(page)).not.toContain(id);
    await sendEvents([{ session_id: id, kind: "end", project }]);
  });

  test("two tabs of the same browser notify a wait once", async () => {
    const [a, b] = [await context.newPage(), await context.newPage()];
    await openLive(a, "/");
    await openLive(b, "/settings");
    const project = unique("e2e-two-tabs");
    const id = unique("s-two-tabs");
    await sendEvents([
      { session_id: id, kind: "attention", waiting_reason: "question", detail: "Which branch?", project },
    ]);
    await expect.poll(() => forSession(seen, id).length, { timeout: 6_000 }).toBe(1);
    await a.waitForTimeout(1500);
    expect(forSession(seen, id)).toHaveLength(1);
    // The tab that notified closes: the other takes over, and still does not notify the same wait again.
    await a.close();
    await b.waitForTimeout(1500);
    expect(forSession(seen, id)).toHaveLength(1);
    await sendEvents([{ session_id: id, kind: "end", project }]);
  });

  test("clicking the notification opens the session in the tab", async () => {
    const page = await context.newPage();
    await openLive(page, "/");
    const project = unique("e2e-click");
    const id = unique("s-click");
    await sendEvents([{ session_id: id, kind: "attention", waiting_reason: "permission", tool: "Edit", project }]);
    await expect.poll(() => forSession(seen, id).length, { timeout: 6_000 }).toBe(1);
    // What the browser does when the person clicks it: the click event on the shown notification.
    await page.evaluate((id) => {
      const shown = (window as unknown as { __pulseShown: Notification[] }).__pulseShown;
      shown.find((n) => n.tag.startsWith(`${id}@`))!.dispatchEvent(new Event("click"));
    }, id);
    await expect(page).toHaveURL(new RegExp(`/sessions/${id}$`));
    await sendEvents([{ session_id: id, kind: "end", project }]);
  });
});
