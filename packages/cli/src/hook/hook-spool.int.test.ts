import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { join } from "node:path";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, runCli, Sandbox } from "../test-support/cli-process";
import {
  closeRestartedIngests,
  getJson,
  restartIngest,
  startIngestOn,
  startProxy,
} from "../test-support/ingest-control";

let stack: TestStack;
let sandbox: Sandbox;
let n = 0;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "clihook" });
});
afterAll(async () => {
  await closeRestartedIngests();
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
  logLinesSeen = 0;
});
afterEach(() => sandbox.cleanup());

/** A Claude Code hook payload from the fixtures, moved to a session of this test's own. */
function payload(name: string, sessionId: string): string {
  return JSON.stringify({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: sessionId });
}

/** Runs `pulse hook` as Claude Code would: payload on stdin; no process watcher here (tested elsewhere). */
/**
 * A hook run without a watcher. It may wait for ingest's answer as long as its network budget allows
 * (PULSE_HOOK_ANSWER_MS): the in-process stack of a busy test machine can take longer than the
 * default 50 ms, and these tests are about what a delivered or refused event does. The tests of a
 * hung ingest below use the default.
 */
function hook(input: string, url: string) {
  return runCli(["hook"], {
    input,
    env: sandbox.env({ PULSE_URL: url, PULSE_NO_WATCH: "1", PULSE_HOOK_ANSWER_MS: "900" }),
  });
}

const session = (id: string) => getJson(stack.url, `/v1/sessions/${id}`);

/**
 * What the hook logged since the last call, without the time and pid. The hook writes nothing to
 * stdout or stderr (agents read one and show the other): its problems go to $PULSE_HOME/hook.log.
 */
let logLinesSeen = 0;
function newLogLines(): string[] {
  const lines = sandbox.hookLog().split("\n").filter(Boolean);
  const fresh = lines.slice(logLinesSeen);
  logLinesSeen = lines.length;
  for (const line of fresh) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z \[\d+\] /);
  return fresh.map((line) => line.replace(/^\S+ \[\d+\] /, ""));
}

describe("pulse hook", () => {
  it("delivers the event with the time it happened, silently, exit 0", async () => {
    const id = `hook-ok-${++n}`;
    const before = Date.now();
    const result = await hook(payload("session-start", id), stack.url);
    const after = Date.now();
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(sandbox.spoolFiles()).toEqual([]);
    const s = await waitFor(async () => ((await session(id)).status === 200 ? (await session(id)).body : undefined), {
      what: "the session",
    });
    expect(Date.parse(s.started_at)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(s.started_at)).toBeLessThanOrEqual(after);
  });

  it("spools while ingest is stopped and drains on the next run: oldest first, original times, nothing lost", async () => {
    const id = `hook-outage-${++n}`;
    await stack.ingest.close();
    const stamps: Array<[number, number]> = [];
    try {
      for (const name of ["session-start", "user-prompt-submit", "pre-tool-use"]) {
        const before = Date.now();
        const result = await hook(payload(name, id), stack.url);
        stamps.push([before, Date.now()]);
        expect(result.code).toBe(0);
        expect(result.stdout).toBe("");
        expect(result.ms).toBeLessThan(1500); // includes node start; the hook itself gives up at 1 s
        expect(result.stderr).toBe("");
        // A refused connection costs nothing: it never stops the next hook from trying.
        expect(newLogLines()).toEqual([
          expect.stringMatching(
            /^ingest unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); \d event\(s\) kept in .*spool until it answers$/,
          ),
        ]);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(sandbox.spoolFiles()).toHaveLength(3);
    } finally {
      await restartIngest(stack);
    }

    // The next run (through a recording proxy) sends the spool first, oldest first, then its own event.
    const proxy = await startProxy(stack.url);
    try {
      const beforeLast = Date.now();
      const result = await hook(payload("post-tool-use", id), proxy.url);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(sandbox.spoolFiles()).toEqual([]);
      const names = proxy.requests.map((r) => JSON.parse(r.body).hook_event_name);
      expect(names).toEqual(["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse"]);
      const times = proxy.requests.map((r) => Number(r.headers["x-pulse-event-time"]));
      times.slice(0, 3).forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual(stamps[i][0] - 5);
        expect(t).toBeLessThanOrEqual(stamps[i][1]);
      });
      expect(times[3]).toBeGreaterThanOrEqual(beforeLast - 5);
    } finally {
      await proxy.close();
    }

    const s = await waitFor(
      async () => {
        const r = await session(id);
        return r.status === 200 && r.body.event_count === 4 ? r.body : undefined;
      },
      { what: "4 events on the session" },
    );
    // The session's times are the events' own, not the time of delivery.
    expect(Date.parse(s.started_at)).toBeLessThanOrEqual(stamps[0][1]);
    const eventTimes = s.events.map((e: any) => Date.parse(e.time)).reverse(); // API lists newest first
    expect(eventTimes[0]).toBeLessThanOrEqual(stamps[0][1]);
    expect(eventTimes[2]).toBeLessThanOrEqual(stamps[2][1]);
    expect([...eventTimes].sort((a, b) => a - b)).toEqual(eventTimes);
  });

  it("delivers every event exactly once when many hooks run at the same time (parallel tool calls)", async () => {
    const id = `hook-parallel-${++n}`;
    const runs = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        hook(JSON.stringify({ ...JSON.parse(payload("post-tool-use", id)), tool_use_id: `toolu_${i}` }), stack.url),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(16).fill(0));
    // One run at a time holds the drain lock; the others leave their event to it. On a machine this
    // busy (16 node starts on 2 cores, ingest in the same process) the holder may run out of its
    // second, or a run may not even have read its input by then: the events wait in the spool
    // (each run leaves only once its event is spooled), and none is lost.
    for (const r of runs) expect(r.stderr).toBe("");
    // A run cut short by its deadline leaves its events to a background delivery.
    for (const line of newLogLines())
      expect(line).toMatch(
        /^(ingest unreachable at .* \(ETIMEDOUT\); \d+ event\(s\) kept in .* until it answers(; hooks only spool until \S+)?|ingest did not answer in time; \d+ event\(s\) kept in .* for a background delivery to send)$/,
      );
    // Should a slow run have paused the network for hooks, the next one would only spool: deliver it
    // (or let the background delivery finish).
    await runCli(["spool", "flush"], { env: sandbox.env({ PULSE_URL: stack.url }) });
    await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "an empty spool" });
    const next = await hook(payload("stop", id), stack.url);
    expect(next.stderr).toBe("");
    expect(newLogLines()).toEqual([]);
    await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "the last event delivered" });
    const s = await waitFor(
      async () => {
        const r = await session(id);
        return r.status === 200 && r.body.event_count === 17 ? r.body : undefined;
      },
      { what: "17 events" },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await session(id)).body.event_count).toBe(17);
    expect(s.status).toBe("waiting");
  });

  it("never drops an event because node itself started too slowly: past its second, it spools and leaves", async () => {
    // A machine so loaded that node's own start takes over the hook's second: simulated by a
    // preloaded module that spins for 1.2 s before the hook's code even runs.
    const slow = join(sandbox.root, "slow-start.js");
    writeFileSync(slow, "const end = Date.now() + 1200; while (Date.now() < end);\n");
    const id = `hook-slow-start-${++n}`;
    const result = await runCli(["hook"], {
      input: payload("session-start", id),
      env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1", NODE_OPTIONS: `--require ${slow}` }),
    });
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(result.ms).toBeLessThan(3000);
    expect(sandbox.spoolFiles()).toHaveLength(1); // kept, not sent: its second was over
    expect((await hook(payload("stop", id), stack.url)).stderr).toBe("");
    await runCli(["spool", "flush"], { env: sandbox.env({ PULSE_URL: stack.url }) }); // whatever this busy machine left
    expect(sandbox.spoolFiles()).toEqual([]);
    await waitFor(async () => ((await session(id)).body.event_count === 2 ? true : undefined), { what: "both events" });
  });

  it("past its second, it still starts the session's watcher, which delivers the event", async () => {
    // Without a watcher, a session quiet right after a slow SessionStart has no proof of life and
    // would end stale (seen under load in the conformance suite).
    const slow = join(sandbox.root, "slow-start-watched.js");
    writeFileSync(slow, "const end = Date.now() + 1200; while (Date.now() < end);\n");
    const id = `hook-slow-start-watched-${++n}`;
    const agent = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      const result = await runCli(["hook"], {
        input: payload("session-start", id),
        env: sandbox.env({
          PULSE_URL: stack.url,
          PULSE_AGENT_PID: String(agent.pid),
          NODE_OPTIONS: `--require ${slow}`,
        }),
      });
      expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
      await waitFor(() => (sandbox.watcherRecords().some((r) => r.session_id === id) ? true : undefined), {
        what: "the watcher",
      });
      await waitFor(async () => ((await session(id)).status === 200 ? true : undefined), {
        what: "the event, delivered by the watcher",
      });
      await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "an empty spool" });
    } finally {
      agent.kill("SIGKILL");
    }
  });

  it("keeps an event whose answer was lost and resends it without creating a duplicate", async () => {
    const id = `hook-retry-${++n}`;
    const lossy = await startProxy(stack.url, { loseAnswers: true });
    try {
      const lost = await hook(payload("session-start", id), lossy.url);
      expect(lost.code).toBe(0);
      expect(lost.stderr).toBe("");
      expect(newLogLines()).toEqual([expect.stringMatching(/ingest unreachable .*1 event\(s\) kept/)]);
      expect(lossy.requests).toHaveLength(1); // ingest did receive and accept it
    } finally {
      await lossy.close();
    }
    expect(sandbox.spoolFiles()).toHaveLength(1);
    const next = await hook(payload("user-prompt-submit", id), stack.url);
    expect(next).toMatchObject({ code: 0, stderr: "" });
    expect(sandbox.spoolFiles()).toEqual([]);
    const s = await waitFor(
      async () => {
        const r = await session(id);
        return r.status === 200 && r.body.title ? r.body : undefined;
      },
      { what: "the prompt to land" },
    );
    // Give a duplicate every chance to land before counting.
    await new Promise((r) => setTimeout(r, 300));
    const final = (await session(id)).body;
    expect(final.event_count).toBe(2);
    expect(final.events.map((e: any) => e.name).sort()).toEqual(["SessionStart", "UserPromptSubmit"]);
    expect(s.id).toBe(id);
  });

  it("spools while Redis is down behind ingest and delivers once it is back", async () => {
    const id = `hook-redis-${++n}`;
    const broken = await startIngestOn(stack, 0, { REDIS_URL: "redis://127.0.0.1:1" });
    const brokenUrl = `http://127.0.0.1:${(broken.app.getHttpServer().address() as { port: number }).port}`;
    try {
      const result = await hook(payload("session-start", id), brokenUrl);
      expect(result.code).toBe(0);
      expect(result.ms).toBeLessThan(1500);
      // Ingest answers 503 at once while Redis is down (no pause for the hooks then); should it be
      // slow to say so (a second, before Redis is known to be down), the hooks pause for a while.
      expect(result.stderr).toBe("");
      expect(newLogLines()).toEqual([
        expect.stringMatching(
          /^(ingest answered 503: .*; 1 event\(s\) kept in \S+ until it answers|ingest (answered 503: .*|unreachable at .* \(ETIMEDOUT\)); 1 event\(s\) kept in \S+ until it answers; hooks only spool until \S+)$/,
        ),
      ]);
      expect(sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      await broken.close();
    }
    expect((await hook(payload("stop", id), stack.url)).stderr).toBe("");
    expect(newLogLines()).toEqual([]);
    await waitFor(async () => ((await session(id)).body.event_count === 2 ? true : undefined), { what: "both events" });
  });

  it("keeps the event when ingest answers 5xx", async () => {
    const { createServer } = await import("node:http");
    const failing = createServer((req, res) => {
      req.resume();
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "internal", message: "boom" }));
    });
    await new Promise<void>((r) => failing.listen(0, "127.0.0.1", r));
    try {
      const result = await hook(
        payload("stop", `hook-500-${++n}`),
        `http://127.0.0.1:${(failing.address() as { port: number }).port}`,
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      // A quick 500 is no reason to stop trying: no pause.
      expect(newLogLines()).toEqual([
        expect.stringMatching(/^ingest answered 500: boom; 1 event\(s\) kept in \S+ until it answers$/),
      ]);
      expect(sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      failing.close();
    }
  });

  it("when the spool cannot be written (full disk, no permission) it sends directly and says so in its log", async () => {
    mkdirSync(sandbox.pulseHome, { recursive: true });
    writeFileSync(join(sandbox.pulseHome, "spool"), "not a directory"); // every spool write fails
    const id = `hook-nospool-${++n}`;
    const sent = await hook(payload("session-start", id), stack.url);
    expect(sent.code).toBe(0);
    expect(sent.stderr).toBe("");
    expect(newLogLines()).toEqual([
      expect.stringMatching(
        /^cannot write the spool \(EEXIST: file already exists, mkdir '.*\/spool'\); the event was sent directly$/,
      ),
    ]);
    await waitFor(async () => ((await session(id)).status === 200 ? true : undefined), { what: "the session" });

    const lost = await hook(payload("stop", id), "http://127.0.0.1:1");
    expect(lost.code).toBe(0);
    expect(lost.stderr).toBe("");
    expect(newLogLines()).toEqual([
      expect.stringMatching(
        /^cannot write the spool \(EEXIST: .*\) and ingest unreachable at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): this event is lost$/,
      ),
    ]);
  });

  it("moves an event the API refuses as invalid aside, and keeps delivering the rest", async () => {
    const bad = await hook(JSON.stringify({ hook_event_name: "Stop" }), stack.url); // no session_id
    expect(bad.code).toBe(0);
    expect(bad.stderr).toBe("");
    expect(newLogLines()).toEqual([
      expect.stringMatching(/^ingest refused the event \(400: session_id: is required\); kept in .*rejected$/),
    ]);
    expect(sandbox.spoolFiles()).toEqual([]);
  });

  it("never fails the agent on bad input: not JSON, empty, unknown agent — one log line, nothing on stderr, exit 0", async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [["hook"], "{not json", /^hook: the hook input is not JSON \(.*\)$/],
      [["hook"], "", /^hook: no hook input/],
      [["hook"], "[1,2]", /^hook: the hook input is not a JSON object$/],
      [["hook", "--agent", "cursor"], "{}", /^hook: unknown agent "cursor"; use claude-code, codex, gemini$/],
    ];
    for (const [args, input, logged] of cases) {
      const result = await runCli(args, { input, env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" }) });
      expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
      expect(newLogLines()).toEqual([expect.stringMatching(logged)]);
    }
    expect(sandbox.spoolFiles()).toEqual([]);
    // A person trying the hook by hand asks for the line on stderr too.
    const debug = await runCli(["hook"], {
      input: "[1,2]",
      env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1", PULSE_DEBUG: "1" }),
    });
    expect(debug).toMatchObject({ code: 0, stdout: "", stderr: "pulse: hook: the hook input is not a JSON object\n" });
  });

  it("drops the notify of Codex's title generator (not a session), and keeps the real turn's", async () => {
    const proxy = await startProxy(stack.url);
    try {
      const env = sandbox.env({ PULSE_URL: proxy.url, PULSE_NO_WATCH: "1" });
      const title = await runCli(["hook", "--agent", "codex", fixture("codex/notify-title-thread.json")], { env });
      expect(title).toMatchObject({ code: 0, stdout: "", stderr: "" });
      expect(proxy.requests).toEqual([]);
      expect(sandbox.spoolFiles()).toEqual([]);
      const turn = await runCli(["hook", "--agent", "codex", fixture("codex/notify-agent-turn-complete.json")], {
        env,
      });
      expect(turn).toMatchObject({ code: 0, stderr: "" });
      expect(proxy.requests.map((r) => JSON.parse(r.body)["thread-id"])).toEqual([
        JSON.parse(fixture("codex/notify-agent-turn-complete.json"))["thread-id"],
      ]);
    } finally {
      await proxy.close();
    }
    expect(newLogLines()).toEqual([]);
  });
});

describe("pulse hook when ingest accepts connections and never answers", () => {
  let hole: { url: string; port: number; connections: number; close(): Promise<void> };
  beforeEach(async () => {
    hole = await blackHole();
  });
  afterEach(async () => {
    await hole.close();
  });

  const breakerPath = () => join(sandbox.pulseHome, "spool", ".ingest-unresponsive.json");
  const breakerTripped = () =>
    waitFor(() => (existsSync(breakerPath()) ? JSON.parse(readFileSync(breakerPath(), "utf8")) : undefined), {
      what: "the breaker",
      timeoutMs: 15_000,
    });

  it("a hook gives up on it at once; the watcher's longer try trips the breaker, later hooks only spool, and the watcher delivers them once ingest answers", async () => {
    const id = `hook-hung-${++n}`;
    const agent = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      // Hooks with a watcher, as installed: the watcher (of the agent process) delivers the spool.
      const env = sandbox.env({ PULSE_URL: hole.url, PULSE_AGENT_PID: String(agent.pid) });
      const first = await runCli(["hook"], { input: payload("session-start", id), env });
      expect(first).toMatchObject({ code: 0, stdout: "", stderr: "" });
      // It asked, got no answer in its short budget, and left the event to the watcher without
      // tripping the breaker itself (a slow ingest is not a hung one).
      expect(hole.connections).toBeGreaterThanOrEqual(1);
      expect(newLogLines()).toEqual([
        expect.stringMatching(/^ingest did not answer in time; 1 event\(s\) kept in \S+ for the watcher to send$/),
      ]);
      await waitFor(() => (sandbox.watcherRecords().length === 1 ? true : undefined), { what: "the watcher" });
      // The watcher's delivery (seconds of budget) gets no answer either: it trips the breaker.
      expect(await breakerTripped()).toMatchObject({ url: hole.url, failures: 1 });

      const connections = hole.connections;
      for (const name of ["user-prompt-submit", "pre-tool-use", "post-tool-use", "stop"]) {
        const result = await runCli(["hook"], { input: payload(name, id), env });
        expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
      }
      // None of them tried: no log line, and no connection beyond the watcher's retries.
      expect(newLogLines()).toEqual([]);
      expect(sandbox.spoolFiles()).toHaveLength(5);
      expect(hole.connections - connections).toBeLessThanOrEqual(2);

      // Ingest answers again on the same address: the watcher delivers everything, with the true
      // times and in order, and that closes the breaker for the hooks.
      await hole.close();
      const ingest = await startIngestOn(stack, hole.port);
      try {
        const s = await waitFor(
          async () => {
            const r = await session(id);
            return r.status === 200 && r.body.event_count === 5 ? r.body : undefined;
          },
          { what: "the watcher to deliver the 5 spooled events", timeoutMs: 25_000 },
        );
        expect(s.events.map((e: any) => e.name).reverse()).toEqual([
          "SessionStart",
          "UserPromptSubmit",
          "PreToolUse",
          "PostToolUse",
          "Stop",
        ]);
        await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "an empty spool" });
        expect(existsSync(breakerPath())).toBe(false);
        // The next hook uses the network again.
        const next = await runCli(["hook"], { input: payload("notification-idle", id), env });
        expect(next).toMatchObject({ code: 0, stderr: "" });
        expect(sandbox.spoolFiles()).toEqual([]);
        await waitFor(async () => ((await session(id)).body.event_count === 6 ? true : undefined), {
          what: "the 6th event",
        });
      } finally {
        await ingest.close();
      }
    } finally {
      agent.kill("SIGKILL");
    }
  });

  it("without a watcher, a hook that gets no answer hands the spool to a background delivery, whose failure trips the breaker", async () => {
    const id = `hook-hung-probe-${++n}`;
    const env = sandbox.env({ PULSE_URL: hole.url, PULSE_NO_WATCH: "1" });
    await runCli(["hook"], { input: payload("session-start", id), env });
    const breaker = await breakerTripped();
    expect(breaker).toMatchObject({ url: hole.url, failures: 1 });
    expect(breaker.until - breaker.since).toBe(10_000);
    expect(hole.connections).toBe(2); // the hook's short try, then the background delivery's
    await runCli(["hook"], { input: payload("user-prompt-submit", id), env });
    expect(hole.connections).toBe(2); // the second hook did not even connect

    await hole.close();
    const ingest = await startIngestOn(stack, hole.port);
    try {
      // Still inside the cooldown: spooled, not sent, even though ingest would answer now.
      expect((await runCli(["hook"], { input: payload("pre-tool-use", id), env })).code).toBe(0);
      expect(sandbox.spoolFiles()).toHaveLength(3);
      await new Promise((r) => setTimeout(r, Math.max(0, breaker.until - Date.now()) + 100));
      const probe = await runCli(["hook"], { input: payload("stop", id), env });
      expect(probe).toMatchObject({ code: 0, stdout: "", stderr: "" });
      // It did not send anything itself: when it exited, the spool was all still there.
      expect(sandbox.spoolFiles().length).toBeGreaterThanOrEqual(3);
      await waitFor(() => (sandbox.spoolFiles().length === 0 ? true : undefined), { what: "the background delivery" });
      await waitFor(async () => ((await session(id)).body.event_count === 4 ? true : undefined), {
        what: "all 4 events",
      });
      expect(existsSync(breakerPath())).toBe(false);
      expect(newLogLines()).toHaveLength(1); // the first hook's, nothing since
    } finally {
      await ingest.close();
    }
  });

  it("pauses longer each time ingest still does not answer; hooks keep returning at once", async () => {
    const env = sandbox.env({ PULSE_URL: hole.url, PULSE_NO_WATCH: "1" });
    await runCli(["hook"], { input: payload("stop", `hook-hung-again-${++n}`), env });
    const first = await breakerTripped();
    expect(hole.connections).toBe(2); // the hook's short try, then the background delivery's
    // The cooldown is over (as if its 10 s had passed): the next hook re-arms it for 20 s and leaves
    // the try to a background delivery, which connects and gets no answer either.
    writeFileSync(breakerPath(), JSON.stringify({ ...first, until: Date.now() - 1 }));
    const retry = await runCli(["hook"], { input: payload("stop", `hook-hung-again-${n}`), env });
    expect(retry).toMatchObject({ code: 0, stderr: "" });
    // The hook itself never connected: the try comes after it exited, from the background delivery.
    expect(hole.connections).toBe(2);
    const second = JSON.parse(readFileSync(breakerPath(), "utf8"));
    expect(second).toMatchObject({ url: hole.url, failures: 2, since: first.since });
    expect(second.until - Date.now()).toBeGreaterThan(15_000); // 20 s
    await waitFor(() => (hole.connections === 3 ? true : undefined), { what: "the background try" });
    expect(sandbox.spoolFiles()).toHaveLength(2);
    expect(newLogLines()).toHaveLength(1); // only the first hook's try; a background try logs nothing
  });
});

/** A TCP server that accepts every connection and never answers: a hung ingest. */
async function blackHole() {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = createNetServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
