import { expect, type Page, test } from "@playwright/test";
import { unique } from "./agent";
import { deleteChannel, listChannels, type Receiver, startReceiver } from "./notify-api";
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
