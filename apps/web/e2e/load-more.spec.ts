import { expect, test } from "@playwright/test";
import { sendEvents, unique, waitForSession } from "./agent";
import { openLive, sessionRow } from "./ui";

test("Show more loads the next page; a session beyond the loaded rows joins at the top when it changes", async ({
  page,
}) => {
  const project = unique("e2e-more");
  const count = 105;
  const started = Date.now() - 60 * 60_000;
  // Oldest first, a second apart: the API's order (newest activity first) is then known.
  const ids = Array.from({ length: count }, (_, i) => `${project}-s${String(i).padStart(3, "0")}`);
  await sendEvents(
    ids.map((id, i) => ({ session_id: id, project, kind: "start", time: new Date(started + i * 1000).toISOString() })),
  );
  await Promise.all(ids.map((id) => waitForSession(id, () => true)));

  await openLive(page, `/?project=${project}`);
  const rows = page.locator("tr[data-session-id]");
  await expect(rows).toHaveCount(100);
  await expect(page.getByTestId("shown-count")).toHaveText("100 shown · more below");
  await expect(sessionRow(page, ids[0])).toHaveCount(0);

  // The oldest session (not loaded) changes now: it is the newest activity, so it belongs at the top.
  await sendEvents([{ session_id: ids[0], project, kind: "prompt" }]);
  await waitForSession(ids[0], (s) => (s as { event_count?: number }).event_count === 2);
  await expect(rows.first()).toHaveAttribute("data-session-id", ids[0]);
  await expect(rows).toHaveCount(101);

  await page.getByRole("button", { name: "Show 100 more" }).click();
  await expect(rows).toHaveCount(count);
  await expect(page.getByTestId("shown-count")).toHaveText(`${count} shown`);
  await expect(page.getByRole("button", { name: /Show \d+ more/ })).toHaveCount(0);
  // Each session once, in the API's order after the one that moved.
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-session-id")));
  expect(shown).toEqual([ids[0], ...ids.slice(1).reverse()]);
});
