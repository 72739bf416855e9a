import { expect, test } from "@playwright/test";
import { claudeCodeSession, sendEvents, sendHook, unique, waitForSession } from "./agent";
import { openLive, sessionRow } from "./ui";

test("filters narrow the list, live in the URL, survive a reload, and apply to live changes", async ({ page }) => {
  const project = unique("e2e-filters");
  const working = claudeCodeSession("f-working", project);
  const waiting = claudeCodeSession("f-waiting", project);
  const ended = claudeCodeSession("f-ended", project);
  const other = claudeCodeSession("f-other");
  const needle = unique("zebra");
  const source = unique("agent");
  const fromOtherAgent = { id: unique("s-f-source"), project };

  await sendHook(working, "session-start");
  await sendHook(waiting, "session-start");
  await sendHook(waiting, "stop");
  await sendHook(ended, "session-start");
  await sendHook(ended, "user-prompt-submit", { prompt: `Find the ${needle} bug` });
  await sendHook(ended, "session-end");
  await sendHook(other, "session-start");
  await sendEvents([{ session_id: fromOtherAgent.id, source, project, kind: "start" }]);
  // Every session in its final state before the page is opened: the worker applies sessions in
  // parallel, so one session's end says nothing about another's stop (under load it came later).
  await Promise.all([
    waitForSession(working.id, (s) => s.status === "active"),
    waitForSession(waiting.id, (s) => s.status === "waiting"),
    waitForSession(ended.id, (s) => s.status === "ended"),
    waitForSession(other.id, (s) => s.status === "active"),
    waitForSession(fromOtherAgent.id, () => true),
  ]);

  const ids = [working.id, waiting.id, ended.id, fromOtherAgent.id];
  const visible = async () => {
    const shown = await page
      .locator("tr[data-session-id]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-session-id")));
    return ids.filter((id) => shown.includes(id)).sort();
  };

  // Project.
  await openLive(page, `/?project=${project}`);
  await expect.poll(visible).toEqual([...ids].sort());
  await expect(sessionRow(page, other.id)).toHaveCount(0);

  // Status, chosen in the form: the URL follows.
  await page.getByLabel("Status").selectOption("waiting");
  await expect(page).toHaveURL(/status=waiting/);
  await expect(page).toHaveURL(new RegExp(`project=${project}`));
  await expect.poll(visible).toEqual([waiting.id]);

  // A reload keeps the filter (it lives in the URL).
  await page.reload();
  await expect(page.getByLabel("Status")).toHaveValue("waiting");
  await expect.poll(visible).toEqual([waiting.id]);
  await expect(page.locator("[data-live-state]")).toHaveAttribute("data-live-state", "live");

  // A live change enters the filtered list only when it matches: working no, waiting yes.
  const late = claudeCodeSession("f-late", project);
  ids.push(late.id);
  await sendHook(late, "session-start");
  await waitForSession(late.id, (s) => s.status === "active");
  await expect(sessionRow(page, late.id)).toHaveCount(0);
  // Ingest has applied it before the page is asked: the page's wait then covers only the stream.
  await sendHook(late, "stop");
  await waitForSession(late.id, (s) => s.status === "waiting");
  await expect(sessionRow(page, late.id)).toBeVisible();
  // And leaves it when it stops matching.
  await sendHook(waiting, "user-prompt-submit", { prompt: "carry on" });
  await waitForSession(waiting.id, (s) => s.status === "active");
  await expect(sessionRow(page, waiting.id)).toHaveCount(0);

  // Free text, typed: matches the title. The status change lands first, so what follows is the
  // typing alone (under load a navigation can outlast the typing pause).
  await page.getByLabel("Status").selectOption("all");
  await expect(page).not.toHaveURL(/status=/);
  await page.getByLabel("Search").fill(needle);
  await expect(page).toHaveURL(new RegExp(`q=${needle}`));
  await expect.poll(visible).toEqual([ended.id]);

  // Source.
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Source").fill(source);
  await expect(page).toHaveURL(new RegExp(`source=${source}`));
  await expect.poll(visible).toEqual([fromOtherAgent.id]);

  // Clear brings everything back.
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(sessionRow(page, other.id)).toBeVisible();

  // Nothing matches: a message, not a blank list.
  await page.goto(`${process.env.E2E_WEB_URL}/?q=${unique("nothing-matches")}`);
  await expect(page.getByText("No sessions match these filters")).toBeVisible();
});
