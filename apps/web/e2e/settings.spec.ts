import { expect, type Page, test } from "@playwright/test";
import { unique } from "./agent";
import { deleteChannel, listChannels, readSettings, type Receiver, resetSettings, startReceiver } from "./notify-api";
import { startOtherOrigin } from "./other-origin";
import { webUrl } from "./ui";

const receivers: Receiver[] = [];
const channelNames: string[] = [];
test.afterAll(async () => {
  // A failing channel left behind would show in every other test's top bar.
  for (const c of await listChannels()) if (channelNames.includes(c.name)) await deleteChannel(c.id);
  await Promise.all(receivers.map((r) => r.close()));
});

async function addChannel(page: Page, name: string, url: string, token?: string) {
  channelNames.push(name);
  const form = page.getByRole("form", { name: "Add a channel" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Type").selectOption("webhook");
  await form.getByLabel("URL").fill(url);
  if (token) await form.getByLabel("Token (optional)").fill(token);
  await form.getByRole("button", { name: "Add channel" }).click();
  const row = page.locator('[data-testid="channels"] tbody tr', { hasText: name });
  await expect(row).toBeVisible();
  return row;
}

test("the Settings page adds a channel with its URL masked, sends it a test that is delivered, and deletes it", async ({
  page,
}) => {
  const receiver = await startReceiver(200);
  receivers.push(receiver);
  const name = unique("e2e-hook");
  const secretPath = "hooks/T0001/very-secret-path-4f2a";
  await page.goto(`${webUrl()}/settings`);
  // The reasons default to the waits that need the user most.
  const form = page.getByRole("form", { name: "Add a channel" });
  for (const reason of ["permission", "question", "API error"])
    await expect(form.getByRole("checkbox", { name: reason, exact: true })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "turn ended" })).not.toBeChecked();

  const row = await addChannel(page, name, `${receiver.url}/${secretPath}`, "tok-e2e-secret-991");
  await expect(row).toHaveAttribute("data-status", "untested");
  await expect(row.locator(".channel-url")).toContainText("127.0.0.1");
  await expect(row.locator(".channel-url")).not.toContainText("very-secret-path");
  await expect(row).toContainText("token set");
  const html = await page.content();
  expect(html).not.toContain("very-secret-path-4f2a");
  expect(html).not.toContain("tok-e2e-secret-991");

  await row.getByRole("button", { name: "Send test" }).click();
  const result = page.locator(`[data-testid="test-results"] li`, { hasText: name });
  await expect(result).toHaveAttribute("data-result", "delivered", { timeout: 15_000 });
  await expect(row).toHaveAttribute("data-status", "ok");
  await expect(row).not.toContainText("never");
  expect(receiver.received.some((b) => (b as { type?: string }).type === "test")).toBe(true);

  await row.getByRole("button", { name: "Delete" }).click();
  await row.getByRole("button", { name: "Really delete" }).click();
  await expect(row).toHaveCount(0);
  expect((await listChannels()).map((c) => c.name)).not.toContain(name);
});

test("a channel whose receiver answers 500 shows failing with its error, on /settings and on the dashboard", async ({
  page,
}) => {
  const receiver = await startReceiver(500);
  receivers.push(receiver);
  const name = unique("e2e-broken");
  await page.goto(`${webUrl()}/settings`);
  const row = await addChannel(page, name, `${receiver.url}/hook`);
  await row.getByRole("button", { name: "Send test" }).click();
  await expect(page.locator(`[data-testid="test-results"] li`, { hasText: name })).toBeVisible({ timeout: 15_000 });
  await expect(row).toHaveAttribute("data-status", "failing", { timeout: 20_000 });
  await expect(row.locator(".channel-error")).toContainText("500");

  await page.goto(`${webUrl()}/`);
  const badge = page.getByTestId("failing-channels");
  await expect(badge).toContainText(name);
  await expect(badge).toContainText("500");
  await badge.click();
  await expect(page).toHaveURL(/\/settings$/);
});

test("the settle time and quiet hours are saved from the Settings page; a bad value shows the API's reason", async ({
  page,
}) => {
  try {
    await page.goto(`${webUrl()}/settings`);
    const form = page.getByRole("form", { name: "Settle time and quiet hours" });
    await form.getByLabel("Settle seconds").fill("12");
    await form.getByLabel("Quiet hours").check();
    await form.getByLabel("From").fill("22:30");
    await form.getByLabel("To").fill("07:00");
    await form.getByLabel("Time zone").fill("Europe/Paris");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
    expect(await readSettings()).toEqual({
      settle_seconds: 12,
      quiet_hours: { start: "22:30", end: "07:00", time_zone: "Europe/Paris" },
    });

    await form.getByLabel("Settle seconds").fill("soon");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toContainText("settle_seconds");
    expect((await readSettings()).settle_seconds).toBe(12);
  } finally {
    await resetSettings();
  }
});

test("another site's page cannot add a channel, send tests or change the settings through the dashboard", async ({
  page,
}) => {
  const other = await startOtherOrigin();
  try {
    const name = unique("xsite-channel");
    const before = await readSettings();
    await page.goto(other.url);
    const outcomes = await page.evaluate(
      async ({ web, name }) => {
        const tries: [string, string, string][] = [
          [
            "POST",
            "/api/notifications/channels",
            JSON.stringify({ name, type: "webhook", url: "http://127.0.0.2:9/x" }),
          ],
          ["POST", "/api/notifications/test", "{}"],
        ];
        const out: string[] = [];
        for (const [method, path, body] of tries) {
          const r = await fetch(web + path, {
            method,
            mode: "no-cors",
            credentials: "include",
            body,
            headers: { "content-type": "text/plain" },
          }).catch((e: Error) => e);
          out.push(`${method} ${path}: ${r instanceof Error ? "blocked" : r.type}`);
        }
        return out;
      },
      { web: webUrl(), name },
    );
    expect(outcomes).toHaveLength(2);
    // PUT and DELETE cannot be sent cross-site without CORS at all; the server refuses them too.
    for (const [method, path] of [
      ["PUT", "/api/notifications/settings"],
      ["DELETE", "/api/notifications/channels/x"],
    ]) {
      const response = await fetch(`${webUrl()}${path}`, {
        method,
        headers: { origin: other.url, "sec-fetch-site": "cross-site", "content-type": "application/json" },
        body: method === "PUT" ? JSON.stringify({ settle_seconds: 0 }) : undefined,
      });
      expect(response.status).toBe(403);
    }
    expect((await listChannels()).map((c) => c.name)).not.toContain(name);
    expect(await readSettings()).toEqual(before);
  } finally {
    await other.close();
  }
});

test("the login form stays put: the top bar reads no notification API before the login", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const apiCalls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/notifications")) apiCalls.push(r.url());
  });
  await page.goto(`${webUrl()}/settings`);
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
  await page.waitForTimeout(2_000);
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
  expect(apiCalls).toEqual([]);
  await expect(page.getByRole("button", { name: "Notify me in this tab" })).toHaveCount(0);
  await context.close();
});
