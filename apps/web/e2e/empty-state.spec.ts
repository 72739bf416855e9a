import { expect, test } from "@playwright/test";
import { claudeCodeSession, sendHook } from "./agent";
import { openLive, sessionRow } from "./ui";

// Runs before every other test (its own Playwright project), while the stack has no session yet.
test("with no session yet, the page explains how to connect Claude Code, then shows the first session live", async ({
  page,
}) => {
  await openLive(page, "/");
  const empty = page.getByTestId("empty-state");
  await expect(empty).toBeVisible();
  await expect(empty.getByRole("heading", { name: "No sessions yet" })).toBeVisible();
  const snippet = empty.getByLabel("Claude Code hook settings");
  await expect(snippet).toContainText(`${process.env.E2E_INGEST_URL}/v1/hooks/claude-code`);
  await expect(snippet).toContainText('"SessionStart"');
  await expect(snippet).toContainText("Authorization: Bearer $PULSE_TOKEN");
  // The snippet is valid JSON with a hook for each event Pulse understands.
  const settings = JSON.parse((await snippet.textContent()) ?? "");
  expect(Object.keys(settings.hooks)).toEqual(
    expect.arrayContaining(["SessionStart", "UserPromptSubmit", "Notification", "Stop", "SessionEnd"]),
  );

  const first = claudeCodeSession("first");
  await sendHook(first, "session-start");
  await expect(sessionRow(page, first.id)).toBeVisible();
  await expect(empty).toHaveCount(0);
});
