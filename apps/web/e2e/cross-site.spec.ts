/**
 * Pulse issue 8, item 2: a page on another origin, in a real Chromium, fires the `fetch(…, {mode:
 * "no-cors"})` writes that used to be applied, at ingest without a token (the default setup) and at
 * both dashboards; then the API shows that nothing happened.
 */
import { expect, type Page, test } from "@playwright/test";
import { readSession, sendEvents, unique, waitForSession } from "./agent";
import { type OtherOrigin, startOtherOrigin } from "./other-origin";

const openIngest = () => process.env.E2E_OPEN_INGEST_URL!;
const webOpen = () => process.env.E2E_WEB_OPEN_URL!;
const webWithToken = () => process.env.E2E_WEB_URL!;
const bearer = () => ({ authorization: `Bearer ${process.env.E2E_TOKEN}` });

interface Attempt {
  url: string;
  method: string;
  mode: RequestMode;
  body?: string;
  contentType?: string;
}

/** Runs the fetches inside the other site's page; says which ones the browser let the page see complete. */
async function fetchFrom(page: Page, attempts: Attempt[]): Promise<string[]> {
  return page.evaluate(async (list) => {
    const outcomes: string[] = [];
    for (const a of list) {
      try {
        const response = await fetch(a.url, {
          method: a.method,
          mode: a.mode,
          credentials: "include",
          body: a.body,
          headers: a.contentType ? { "content-type": a.contentType } : {},
        });
        outcomes.push(`${a.method} ${a.url}: ${response.type}`);
      } catch (error) {
        outcomes.push(`${a.method} ${a.url}: blocked (${(error as Error).name})`);
      }
    }
    return outcomes;
  }, attempts);
}

async function queues(): Promise<{ name: string; isPaused: boolean; counts: Record<string, number> }[]> {
  const response = await fetch(`${process.env.E2E_INGEST_URL}/queues/api/queues`, { headers: bearer() });
  expect(response.status).toBe(200);
  return (await response.json()).queues;
}

let other: OtherOrigin;
test.beforeAll(async () => {
  other = await startOtherOrigin();
});
test.afterAll(async () => {
  await other?.close();
});

test("another site's page cannot post events, close sessions, run cleanup or press the queue board's buttons", async ({
  page,
}) => {
  const seeded = unique("xsite-victim");
  await sendEvents([{ session_id: seeded, kind: "prompt", detail: "a prompt another site must not end" }]);
  await waitForSession(seeded, (s) => s.status === "active");
  const failedBefore = (await queues()).find((q) => q.name === "events")!.counts.failed ?? 0;
  const posted = unique("xsite-posted");
  const event = JSON.stringify({ session_id: posted, source: "e2e", kind: "tool", detail: "from another site" });

  const ingestWrites: Attempt[] = [
    { url: `${openIngest()}/v1/events`, method: "POST", mode: "no-cors", body: event, contentType: "text/plain" },
    {
      url: `${openIngest()}/v1/events`,
      method: "POST",
      mode: "no-cors",
      body: event,
      contentType: "application/x-www-form-urlencoded",
    },
    { url: `${openIngest()}/v1/events`, method: "POST", mode: "no-cors", body: event },
    {
      url: `${openIngest()}/v1/hooks/claude-code`,
      method: "POST",
      mode: "no-cors",
      body: JSON.stringify({ session_id: posted, hook_event_name: "SessionStart", cwd: "/x", source: "startup" }),
      contentType: "text/plain",
    },
    { url: `${openIngest()}/v1/sessions/${seeded}/close`, method: "POST", mode: "no-cors" },
    {
      url: `${openIngest()}/v1/sessions/cleanup`,
      method: "POST",
      mode: "no-cors",
      body: JSON.stringify({ older_than_minutes: 0.0001 }),
      contentType: "text/plain",
    },
    {
      url: `${openIngest()}/queues/api/queues/events/add`,
      method: "POST",
      mode: "no-cors",
      body: JSON.stringify({ name: "from-another-site", data: {} }),
      contentType: "text/plain",
    },
  ];
  const dashboardWrites: Attempt[] = [
    { url: `${webOpen()}/api/sessions/${seeded}/close`, method: "POST", mode: "no-cors" },
    {
      url: `${webOpen()}/queues/api/queues/events/add`,
      method: "POST",
      mode: "no-cors",
      body: JSON.stringify({ name: "from-another-site", data: {} }),
      contentType: "text/plain",
    },
    { url: `${webOpen()}/api/logout`, method: "POST", mode: "no-cors" },
    // The logged-in dashboard: this browser holds its cookie (SameSite=Lax keeps it off these anyway).
    { url: `${webWithToken()}/api/sessions/${seeded}/close`, method: "POST", mode: "no-cors" },
    {
      url: `${webWithToken()}/queues/api/queues/events/add`,
      method: "POST",
      mode: "no-cors",
      body: JSON.stringify({ name: "from-another-site", data: {} }),
      contentType: "text/plain",
    },
    {
      url: `${webWithToken()}/api/login`,
      method: "POST",
      mode: "no-cors",
      body: "token=guess&next=/",
      contentType: "application/x-www-form-urlencoded",
    },
  ];
  // Not "simple": the browser asks first (a CORS preflight), and nobody says yes.
  const preflighted: Attempt[] = [
    { url: `${openIngest()}/queues/api/queues/events/pause`, method: "PUT", mode: "cors" },
    { url: `${openIngest()}/v1/events`, method: "POST", mode: "cors", body: event, contentType: "application/json" },
    { url: `${webOpen()}/queues/api/queues/events/pause`, method: "PUT", mode: "cors" },
  ];

  // What the server answered each simple request, as the network saw it (the page only gets an opaque response).
  const answered = new Map<string, number>();
  page.on("response", (response) =>
    answered.set(`${response.request().method()} ${response.url()}`, response.status()),
  );
  await page.goto(`${other.url}/`);
  const outcomes = await fetchFrom(page, [...ingestWrites, ...dashboardWrites, ...preflighted]);

  for (const a of [...ingestWrites, ...dashboardWrites]) {
    expect([a.method, a.url, outcomes.find((o) => o.startsWith(`${a.method} ${a.url}:`))]).toEqual([
      a.method,
      a.url,
      `${a.method} ${a.url}: opaque`,
    ]);
    // Refused by the server itself, not just hidden from the page.
    await expect.poll(() => answered.get(`${a.method} ${a.url}`), { message: `${a.method} ${a.url}` }).toBe(403);
  }
  for (const a of preflighted) expect(outcomes).toContain(`${a.method} ${a.url}: blocked (TypeError)`);

  // Nothing was applied. The control event is queued after anything the page got in, so once it is
  // applied, whatever was accepted before it would be too.
  const control = unique("xsite-control");
  await sendEvents([{ session_id: control, kind: "tool" }]);
  await waitForSession(control, () => true);
  expect(await readSession(posted)).toBeNull();
  expect((await readSession(seeded))?.status).toBe("active");
  const after = await queues();
  for (const q of after) expect([q.name, q.isPaused]).toEqual([q.name, false]);
  expect(after.find((q) => q.name === "events")!.counts.failed ?? 0).toBe(failedBefore);
  // The dashboard's own pages still write: its Close button's request, from its own origin, works.
  await page.goto(`${webOpen()}/`);
  expect(
    await page.evaluate(async (id) => (await fetch(`/api/sessions/${id}/close`, { method: "POST" })).status, seeded),
  ).toBe(200);
  await waitForSession(seeded, (s) => s.status === "ended");
});

async function channelNames(): Promise<string[]> {
  const response = await fetch(`${process.env.E2E_INGEST_URL}/v1/notifications/channels`, { headers: bearer() });
  expect(response.status).toBe(200);
  return (await response.json()).channels.map((c: { name: string }) => c.name);
}

/** Opens an EventSource in the page; says whether it delivered anything before failing or 3 s passed. */
async function streamFrom(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (source) =>
      new Promise<string>((resolve) => {
        const stream = new EventSource(source);
        const done = (outcome: string) => {
          stream.close();
          resolve(outcome);
        };
        stream.onmessage = () => done("message");
        stream.addEventListener("session", () => done("message"));
        stream.onerror = () => done("error");
        setTimeout(() => done("silent"), 3_000);
      }),
    url,
  );
}

test("another site's page cannot add a notification channel, send tests, change settings, or read the live stream or the API", async ({
  page,
}) => {
  const before = await channelNames();
  // A channel pointed at the attacker's site would receive every wait's detail from then on.
  const exfiltrate = JSON.stringify({ type: "webhook", name: "from-another-site", url: `${other.url}/exfil` });
  const simple: Attempt[] = [
    ...[openIngest(), `${webOpen()}/api`, `${webWithToken()}/api`].flatMap((base) => {
      const prefix = base === openIngest() ? `${base}/v1` : base;
      return [
        {
          url: `${prefix}/notifications/channels`,
          method: "POST",
          mode: "no-cors" as const,
          body: exfiltrate,
          contentType: "text/plain",
        },
        {
          url: `${prefix}/notifications/test`,
          method: "POST",
          mode: "no-cors" as const,
          body: "{}",
          contentType: "text/plain",
        },
      ];
    }),
  ];
  const preflighted: Attempt[] = [
    {
      url: `${openIngest()}/v1/notifications/settings`,
      method: "PUT",
      mode: "cors",
      body: '{"settle_seconds":0}',
      contentType: "application/json",
    },
    {
      url: `${webOpen()}/api/notifications/settings`,
      method: "PUT",
      mode: "cors",
      body: '{"settle_seconds":0}',
      contentType: "application/json",
    },
    { url: `${openIngest()}/v1/notifications/channels/x`, method: "DELETE", mode: "cors" },
    { url: `${webOpen()}/api/notifications/channels/x`, method: "DELETE", mode: "cors" },
  ];
  const answered = new Map<string, number>();
  page.on("response", (response) =>
    answered.set(`${response.request().method()} ${response.url()}`, response.status()),
  );
  await page.goto(`${other.url}/`);
  const outcomes = await fetchFrom(page, [...simple, ...preflighted]);
  for (const a of simple) {
    expect(outcomes).toContain(`${a.method} ${a.url}: opaque`);
    await expect.poll(() => answered.get(`${a.method} ${a.url}`), { message: `${a.method} ${a.url}` }).toBe(403);
  }
  for (const a of preflighted) expect(outcomes).toContain(`${a.method} ${a.url}: blocked (TypeError)`);

  // The live stream, ingest's and both dashboards': the page gets an error, never a change.
  const sessionChange = unique("xsite-stream");
  const streams = [`${openIngest()}/v1/stream`, `${webOpen()}/api/stream`, `${webWithToken()}/api/stream`];
  const reading = Promise.all(streams.map((url) => streamFrom(page, url)));
  await sendEvents([{ session_id: sessionChange, kind: "prompt", detail: "a change another site must not read" }]);
  expect(await reading).toEqual(["error", "error", "error"]);
  // Refused by the servers themselves, not only hidden from the page: the same reads as no-cors fetches.
  const readUrls = [...streams, `${webOpen()}/api/sessions`, `${webWithToken()}/api/notifications/channels`];
  const reads = await fetchFrom(
    page,
    readUrls.map((url) => ({ url, method: "GET", mode: "no-cors" as const })),
  );
  for (const url of readUrls) {
    expect(reads).toContain(`GET ${url}: opaque`);
    await expect.poll(() => answered.get(`GET ${url}`), { message: `GET ${url}` }).toBe(403);
  }

  expect(await channelNames()).toEqual(before);
  expect(other.hits.filter((hit) => hit.includes("/exfil"))).toEqual([]);
});
