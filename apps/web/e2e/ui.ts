import { expect, type Locator, type Page } from "@playwright/test";

export const webUrl = () => process.env.E2E_WEB_URL!;

/** A session's row on the sessions page. */
export const sessionRow = (page: Page, id: string): Locator => page.locator(`tr[data-session-id="${id}"]`);

/** The status badge inside a row or a page header. */
export const badgeIn = (scope: Locator | Page): Locator => scope.locator(".badge").first();

/** Opens a page and waits until its live stream is subscribed, so nothing posted afterwards can be missed. */
export async function openLive(page: Page, pathname: string): Promise<void> {
  await page.goto(`${webUrl()}${pathname}`);
  await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");
}

/**
 * When (epoch ms, the page's clock: the same machine's) an element matching `selector` is first in
 * the page: checked on every animation frame, so the figure is not Playwright's polling interval.
 */
export async function appearedAt(page: Page, selector: string, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction((sel) => (document.querySelector(sel) ? Date.now() : false), selector, {
    polling: "raf",
    timeout: timeoutMs,
  });
  return (await handle.jsonValue()) as number;
}
