import { waitFor } from "../../../../test/env";
import { startProxy, type TestProxy } from "../test-support/ingest-control";
import { alive, useWatchFixture } from "../test-support/watch-fixture";

/**
 * Proof of life (contract 1) from a real watcher of a dummy agent, against the real stack with a
 * token and a short stale timeout: 0.1 min = 6 s, so the server asks for a proof every 1.5 s.
 */
const TOKEN = "liveness-test-token";
const TIMEOUT_MS = 6_000;
let proxy: TestProxy;
const fx = useWatchFixture({
  label: "cliliveness",
  token: TOKEN,
  env: { SESSION_STALE_TIMEOUT_MINUTES: "0.1", REAPER_INTERVAL_SECONDS: "1" },
});
const { session } = fx;

beforeAll(async () => {
  // Every request the CLI makes goes through this recorder, so the test can count them.
  proxy = await startProxy(fx.stack.url);
});
afterAll(async () => {
  await proxy?.close();
});

const livenessRequests = (id: string) =>
  proxy.requests.filter((r) => r.path === "/v1/liveness" && JSON.parse(r.body).session_id === id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startWatchedSession(id: string) {
  const agent = fx.startAgent({}, proxy.url);
  expect(await agent.hook(fx.payload("session-start", id))).toBe("done 0");
  const watcher = await fx.watcherFor(id);
  return { agent, watcher };
}

describe("proof of life", () => {
  it("moves alive_at at the interval the server asks for, with the token, and keeps a quiet live session from timing out", async () => {
    const id = fx.id("alive");
    const { watcher } = await startWatchedSession(id);
    const first = await waitFor(async () => (await session(id))?.alive_at || undefined, {
      timeoutMs: 8000,
      what: "a first proof of life",
    });
    const sent = livenessRequests(id);
    expect(sent[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(sent[0].body)).toEqual({ session_id: id, source: "claude-code", time: expect.any(Number) });
    const later = await waitFor(
      async () => {
        const s = await session(id);
        return s?.alive_at && Date.parse(s.alive_at) > Date.parse(first) ? s.alive_at : undefined;
      },
      { timeoutMs: 6000, what: "alive_at to move" },
    );
    // The server's interval (timeout / 4 = 1.5 s) replaced the default 15 s after the first answer.
    expect(Date.parse(later) - Date.parse(first)).toBeLessThan(4000);

    // Three stale timeouts with no event at all: a live process keeps its session open.
    await sleep(3 * TIMEOUT_MS);
    // …and the reaper has judged it since (a sweep that started after those three timeouts).
    await fx.sweeps(2);
    const s = await session(id);
    expect(s.status).not.toBe("ended");
    expect(s.reopen_count).toBe(0);
    const count = livenessRequests(id).length;
    // ~1.5 s apart over ~20 s: about 13, never a flood.
    expect(count).toBeGreaterThanOrEqual(8);
    expect(count).toBeLessThanOrEqual(20);
    expect(alive(watcher.watcher_pid)).toBe(true);
    expect(fx.sandbox.spoolFiles()).toEqual([]); // proof of life is never spooled
  });

  it("survives ingest being down: no crash, nothing spooled, no pile-up, and resumes when it is back", async () => {
    const id = fx.id("alive-outage");
    const { watcher, agent } = await startWatchedSession(id);
    await waitFor(async () => (await session(id))?.alive_at || undefined, {
      timeoutMs: 8000,
      what: "a first proof of life",
    });
    await fx.stack.ingest.close();
    const downAt = Date.now();
    let before: number;
    try {
      before = livenessRequests(id).length;
      await sleep(6000);
      expect(alive(watcher.watcher_pid)).toBe(true);
      expect(fx.sandbox.spoolFiles()).toEqual([]);
    } finally {
      await fx.restartIngest();
    }
    // One attempt per interval while down (1.5 s → ~4 in 6 s), not a retry storm.
    const during = livenessRequests(id).length - before;
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(6);
    const back = Date.now();
    const resumed = await waitFor(
      async () => {
        const s = await session(id);
        return s?.alive_at && Date.parse(s.alive_at) >= back ? s : undefined;
      },
      { timeoutMs: 8000, what: "proof of life after the outage" },
    );
    expect(Date.parse(resumed.alive_at)).toBeGreaterThan(downAt);
    // And the watcher still does its first job. (Whatever the reaper made of the outage, which is
    // as long as the timeout here: an explicit end replaces an inferred one.)
    const killedAt = Date.now();
    agent.kill("SIGKILL");
    const ended = await waitFor(
      async () => {
        const s = await session(id);
        return s?.end_reason === "process_exit" ? s : undefined;
      },
      { timeoutMs: 5000, what: "the process-exit end" },
    );
    expect(Date.parse(ended.ended_at)).toBeGreaterThanOrEqual(killedAt);
  });

  it("stops proving life when the agent's process is gone", async () => {
    const id = fx.id("alive-stop");
    const { agent, watcher } = await startWatchedSession(id);
    await waitFor(async () => (await session(id))?.alive_at || undefined, {
      timeoutMs: 8000,
      what: "a first proof of life",
    });
    agent.kill("SIGKILL");
    await waitFor(() => !alive(watcher.watcher_pid), { timeoutMs: 5000, what: "the watcher to leave" });
    const count = livenessRequests(id).length;
    await sleep(3000);
    expect(livenessRequests(id).length).toBe(count);
  });
});
