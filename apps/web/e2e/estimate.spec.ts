import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { unique, waitForSession } from "./agent";
import { REPO_ROOT } from "./paths";
import { openLive, sessionRow } from "./ui";

// Issue 9, item 7, in Chromium against the real stack: two Codex sessions started in the same minute
// (UUIDv7 ids with the same first 8 hex digits) are told apart on screen, and the cost Pulse estimated
// from Codex's tokens (Codex reports none) is shown marked as an estimate wherever cost is shown.

const REAL = path.join(REPO_ROOT, "test/fixtures/real/codex-0.171.0");
const ingest = () => process.env.E2E_INGEST_URL!;

async function post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${ingest()}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.E2E_TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
  return response.status;
}

/** A UUIDv7 of the same minute as Codex's real ones ("01a2335f-…"), with a tail of its own. */
const sameMinuteId = () => {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex");
  return `01a2335f-${hex(2)}-7${hex(2).slice(1)}-8${hex(2).slice(1)}-${hex(6)}`;
};

/** A Codex session as the real binary reports it: its SessionStart hook, then its OTLP export (tokens, no cost). */
async function codexSession(id: string, project: string): Promise<void> {
  const start = {
    ...JSON.parse(readFileSync(path.join(REAL, "hooks/SessionStart.json"), "utf8")),
    session_id: id,
    cwd: `/home/dev/${project}`,
  };
  expect(await post("/v1/hooks/codex", start)).toBe(202);
  const body = JSON.parse(
    readFileSync(path.join(REAL, "otlp/body-00240-logs.json"), "utf8").replaceAll(
      "01a2335f-bdbf-7423-900b-61b1c4e95aa6",
      id,
    ),
  );
  // Recorded on the capture day: moved to now, so "today" holds them.
  const now = String(BigInt(Date.now()) * 1_000_000n);
  for (const record of body.resourceLogs[0].scopeLogs.flatMap((s: { logRecords: unknown[] }) => s.logRecords))
    (record as Record<string, string>).observedTimeUnixNano = now;
  expect(await post("/v1/logs", body)).toBe(200);
}

test("two Codex sessions of the same minute get different short ids; their estimated cost is marked as an estimate everywhere", async ({
  page,
}) => {
  const project = unique("e2e-estimate");
  const ids = [sameMinuteId(), sameMinuteId()];
  expect(ids[0].slice(0, 8)).toBe(ids[1].slice(0, 8));
  for (const id of ids) await codexSession(id, project);
  for (const id of ids)
    await waitForSession(id, (s) => (s as unknown as { input_tokens: number }).input_tokens === 2700);

  await openLive(page, `/?project=${project}`);
  const shortIds = await Promise.all(ids.map((id) => sessionRow(page, id).locator(".session-id").textContent()));
  expect(shortIds[0]).not.toBe(shortIds[1]);
  expect(shortIds).toEqual(ids.map((id) => `…${id.slice(-8)}`));
  // The untitled sessions' names differ too (they are named after the short id).
  const names = await Promise.all(ids.map((id) => sessionRow(page, id).locator(".session-link").textContent()));
  expect(names[0]).not.toBe(names[1]);

  // The list: no reported cost, the estimate marked "≈ … est." with what it is on hover.
  const cost = sessionRow(page, ids[0]).locator('td[data-label="Cost"]');
  const estimate = cost.locator("[data-estimate]");
  await expect(estimate).toHaveText(/^≈ (<)?\$\d+\.\d\d est\.$/);
  await expect(estimate).toHaveAttribute(
    "title",
    /estimated from tokens and the model's list price \(genai-prices \d+\.\d+\.\d+\)/,
  );
  await expect(cost).not.toContainText(/^\$/);

  // The key figures: today's reported cost as reported, the estimate beside it, marked.
  const kpiEstimate = page.locator('[data-kpi-estimate="Cost today"] [data-estimate]');
  await expect(kpiEstimate).toHaveText(/^≈ (<)?\$\d+\.\d\d est\.$/);
  await expect(kpiEstimate).toHaveAttribute("title", /estimated from tokens/);

  // The cost chart: the estimate is drawn hatched and named in the legend and the readout.
  const chart = page.getByTestId("cost-chart");
  await expect(chart.locator("rect[data-estimate]").first()).toBeAttached();
  await expect(chart.locator(".chart-legend [data-estimate]")).toContainText("estimated");
  await expect(chart.locator(".chart-readout [data-estimate]")).toContainText("est.");

  // The session page.
  await page.locator(`tr[data-session-id="${ids[1]}"] .session-link`).click();
  await expect(page.locator(".session-title")).toHaveText(`Session …${ids[1].slice(-8)}`);
  const fact = page.locator(".fact", { has: page.locator("dt", { hasText: /^Cost$/ }) }).locator("dd");
  await expect(fact.locator("[data-estimate]")).toHaveText(/^≈ (<)?\$\d+\.\d\d est\.$/);
  await expect(fact.locator("[data-estimate]")).toHaveAttribute("title", /not a cost the agent reported/);
});
