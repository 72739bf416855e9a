import { createRequire } from "node:module";
import { expect, type Page, test } from "@playwright/test";
import { claudeCodeSession, waitForSession } from "./agent";
import { openLive, sessionRow } from "./ui";

// The corpus the ingest tests use (test/ is CommonJS TypeScript: Node's ESM loader, which runs these
// specs, cannot see its named exports; require, transpiled by Playwright, can).
const require = createRequire(import.meta.url);
const { CORPUS, CORPUS_TEXT } =
  require("../../../test/redaction-corpus.ts") as typeof import("../../../test/redaction-corpus");

/**
 * Issue 8, item 4, in the browser: a session whose prompt, commands and tool output hold secrets
 * shows none of them, on the sessions list, on its page (title, timeline, tooltips), or on the queue
 * board's job data; their placeholders show instead.
 */

const token = (id: string) => CORPUS.find((s) => s.id === id)!.token!;
const text = (id: string) => CORPUS.find((s) => s.id === id)!.text;

/** A secret, or its last 12 characters, anywhere in `haystack`. */
function leaks(haystack: string): string[] {
  const found: string[] = [];
  for (const secret of CORPUS) {
    for (const material of secret.material) {
      if (haystack.includes(material) || (material.length >= 24 && haystack.includes(material.slice(-12))))
        found.push(secret.id);
    }
  }
  return found;
}

async function hook(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${process.env.E2E_INGEST_URL}/v1/hooks/claude-code`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.E2E_TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
}

/** What a person (or a screen reader, or a copy-paste) can get out of the page: text, attributes, markup. */
async function everythingOn(page: Page): Promise<string> {
  return `${await page.content()}\n${await page.locator("body").innerText()}`;
}

test("secrets in a session's prompt, commands and output never reach the dashboard", async ({ page }) => {
  const session = claudeCodeSession("redact");
  const base = {
    session_id: session.id,
    cwd: `/home/dev/${session.project}`,
    transcript_path: `/home/dev/.claude/projects/x/${session.id}.jsonl`,
    permission_mode: "default",
  };
  const prompt = `Deploy with ${token("anthropic")} and push with ${token("github-classic")}`;
  await hook({ ...base, hook_event_name: "SessionStart", source: "startup" });
  await hook({ ...base, hook_event_name: "UserPromptSubmit", prompt });
  await hook({
    ...base,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: {
      command: `${text("openai-project")} && ${text("authorization-bearer")}`,
      description: "Call the API",
    },
  });
  await hook({
    ...base,
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_input: { command: "cat .env ~/.aws/credentials" },
    tool_response: { stdout: CORPUS_TEXT, stderr: "", interrupted: false, isImage: false },
  });
  await hook({
    ...base,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command: `${text("env-password")} psql ${text("database-url").split("=")[1]}` },
  });
  await hook({
    ...base,
    hook_event_name: "Notification",
    notification_type: "permission_prompt",
    message: `Claude needs your permission to use Bash with ${token("aws-access-key-id")}`,
  });
  await waitForSession(session.id, (s) => (s as { event_count?: number }).event_count === 6);

  // The sessions list: the row's title is the prompt, with placeholders where the keys were.
  await openLive(page, `/?project=${session.project}`);
  const row = sessionRow(page, session.id);
  await expect(row).toContainText("Deploy with [REDACTED:anthropic]");
  expect(leaks(await everythingOn(page))).toEqual([]);

  // The session page: title, facts, every event of the timeline (and their full-text tooltips).
  await openLive(page, `/sessions/${encodeURIComponent(session.id)}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("[REDACTED:anthropic]");
  const timeline = page.getByRole("list", { name: "Events, oldest first" });
  await expect(timeline.locator(".tl-event")).toHaveCount(6);
  await expect(timeline).toContainText("[REDACTED:openai]");
  await expect(timeline).toContainText("[REDACTED:password]");
  expect(leaks(await everythingOn(page))).toEqual([]);

  // The queue board (proxied by the dashboard) shows each job's data: the events as queued.
  const jobs = await page.request.get(
    `${process.env.E2E_WEB_URL}/queues/api/queues?activeQueue=events&status=completed&page=1&jobsPerPage=50`,
  );
  expect(jobs.status()).toBe(200);
  const board = await jobs.text();
  expect(board).toContain(session.id);
  expect(board).toContain("[REDACTED:");
  expect(leaks(board)).toEqual([]);
});
