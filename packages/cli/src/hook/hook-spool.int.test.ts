import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, runCli, Sandbox } from "../test-support/cli-process";
import { closeRestartedIngests, getJson, restartIngest, startIngestOn, startProxy } from "../test-support/ingest-control";

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
});
afterEach(() => sandbox.cleanup());

/** A Claude Code hook payload from the fixtures, moved to a session of this test's own. */
function payload(name: string, sessionId: string): string {
  return JSON.stringify({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: sessionId });
}

/** Runs `pulse hook` as Claude Code would: payload on stdin; no process watcher here (tested elsewhere). */
function hook(input: string, url: string) {
  return runCli(["hook"], { input, env: sandbox.env({ PULSE_URL: url, PULSE_NO_WATCH: "1" }) });
}

const session = (id: string) => getJson(stack.url, `/v1/sessions/${id}`);

describe("pulse hook", () => {
  it("delivers the event with the time it happened, silently, exit 0", async () => {
    const id = `hook-ok-${++n}`;
    const before = Date.now();
    const result = await hook(payload("session-start", id), stack.url);
    const after = Date.now();
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(sandbox.spoolFiles()).toEqual([]);
    const s = await waitFor(async () => ((await session(id)).status === 200 ? (await session(id)).body : undefined), { what: "the session" });
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
        expect(result.stderr).toMatch(/^pulse: ingest unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); \d event\(s\) kept in .*spool until it answers\n$/);
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

    const s = await waitFor(async () => {
      const r = await session(id);
      return r.status === 200 && r.body.event_count === 4 ? r.body : undefined;
    }, { what: "4 events on the session" });
    // The session's times are the events' own, not the time of delivery.
    expect(Date.parse(s.started_at)).toBeLessThanOrEqual(stamps[0][1]);
    const eventTimes = s.events.map((e: any) => Date.parse(e.time)).reverse(); // API lists newest first
    expect(eventTimes[0]).toBeLessThanOrEqual(stamps[0][1]);
    expect(eventTimes[2]).toBeLessThanOrEqual(stamps[2][1]);
    expect([...eventTimes].sort((a, b) => a - b)).toEqual(eventTimes);
  });

  it("delivers every event exactly once when many hooks run at the same time (parallel tool calls)", async () => {
    const id = `hook-parallel-${++n}`;
    const runs = await Promise.all(Array.from({ length: 16 }, (_, i) => hook(JSON.stringify({ ...JSON.parse(payload("post-tool-use", id)), tool_use_id: `toolu_${i}` }), stack.url)));
    expect(runs.map((r) => r.code)).toEqual(Array(16).fill(0));
    // One run at a time holds the drain lock; the others leave their event to it. On a machine this
    // busy (16 node starts on 2 cores, ingest in the same process) the holder may run out of its
    // second: then the events wait in the spool, and say so; none is lost.
    for (const r of runs) expect(r.stderr).toMatch(/^(|pulse: ingest unreachable at .* \(ETIMEDOUT\); \d+ event\(s\) kept in .* until it answers\n)$/);
    const next = await hook(payload("stop", id), stack.url);
    expect(next.stderr).toBe("");
    expect(sandbox.spoolFiles()).toEqual([]);
    const s = await waitFor(async () => {
      const r = await session(id);
      return r.status === 200 && r.body.event_count === 17 ? r.body : undefined;
    }, { what: "17 events" });
    await new Promise((r) => setTimeout(r, 300));
    expect((await session(id)).body.event_count).toBe(17);
    expect(s.status).toBe("waiting");
  });

  it("keeps an event whose answer was lost and resends it without creating a duplicate", async () => {
    const id = `hook-retry-${++n}`;
    const lossy = await startProxy(stack.url, { loseAnswers: true });
    try {
      const lost = await hook(payload("session-start", id), lossy.url);
      expect(lost.code).toBe(0);
      expect(lost.stderr).toMatch(/ingest unreachable .*1 event\(s\) kept/);
      expect(lossy.requests).toHaveLength(1); // ingest did receive and accept it
    } finally {
      await lossy.close();
    }
    expect(sandbox.spoolFiles()).toHaveLength(1);
    const next = await hook(payload("user-prompt-submit", id), stack.url);
    expect(next).toMatchObject({ code: 0, stderr: "" });
    expect(sandbox.spoolFiles()).toEqual([]);
    const s = await waitFor(async () => {
      const r = await session(id);
      return r.status === 200 && r.body.title ? r.body : undefined;
    }, { what: "the prompt to land" });
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
      // Ingest waits up to 1 s for Redis before its 503; the hook's budget runs out first.
      expect(result.stderr).toMatch(/^pulse: ingest (answered 503: .*|unreachable at .* \(ETIMEDOUT\)); 1 event\(s\) kept in /);
      expect(sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      await broken.close();
    }
    expect((await hook(payload("stop", id), stack.url)).stderr).toBe("");
    await waitFor(async () => ((await session(id)).body.event_count === 2 ? true : undefined), { what: "both events" });
  });

  it("keeps the event when ingest answers 5xx", async () => {
    const { createServer } = await import("node:http");
    const failing = createServer((req, res) => {
      req.resume();
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "internal", message: "boom" }));
    });
    await new Promise<void>((r) => failing.listen(0, "127.0.0.1", r));
    try {
      const result = await hook(payload("stop", `hook-500-${++n}`), `http://127.0.0.1:${(failing.address() as { port: number }).port}`);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^pulse: ingest answered 500: boom; 1 event\(s\) kept in /);
      expect(sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      failing.close();
    }
  });

  it("when the spool cannot be written (full disk, no permission) it sends directly and says so on stderr", async () => {
    mkdirSync(sandbox.pulseHome, { recursive: true });
    writeFileSync(join(sandbox.pulseHome, "spool"), "not a directory"); // every spool write fails
    const id = `hook-nospool-${++n}`;
    const sent = await hook(payload("session-start", id), stack.url);
    expect(sent.code).toBe(0);
    expect(sent.stderr).toMatch(/^pulse: cannot write the spool \(EEXIST: file already exists, mkdir '.*\/spool'\); the event was sent directly\n$/);
    await waitFor(async () => ((await session(id)).status === 200 ? true : undefined), { what: "the session" });

    const lost = await hook(payload("stop", id), "http://127.0.0.1:1");
    expect(lost.code).toBe(0);
    expect(lost.stderr).toMatch(/^pulse: cannot write the spool \(EEXIST: .*\) and ingest unreachable at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): this event is lost\n$/);
  });

  it("moves an event the API refuses as invalid aside, and keeps delivering the rest", async () => {
    const bad = await hook(JSON.stringify({ hook_event_name: "Stop" }), stack.url); // no session_id
    expect(bad.code).toBe(0);
    expect(bad.stderr).toMatch(/^pulse: ingest refused the event \(400: session_id: is required\); kept in .*rejected\n$/);
    expect(sandbox.spoolFiles()).toEqual([]);
  });

  it("never fails the agent on bad input: not JSON, empty, unknown agent — one stderr line, exit 0", async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [["hook"], "{not json", /^pulse: hook: the hook input is not JSON \(.*\)\n$/],
      [["hook"], "", /^pulse: hook: no hook input/],
      [["hook"], "[1,2]", /^pulse: hook: the hook input is not a JSON object\n$/],
      [["hook", "--agent", "cursor"], "{}", /^pulse: hook: unknown agent "cursor"; use claude-code, codex, gemini\n$/],
    ];
    for (const [args, input, stderr] of cases) {
      const result = await runCli(args, { input, env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" }) });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(stderr);
    }
    expect(sandbox.spoolFiles()).toEqual([]);
  });

  it("gives up within a second when ingest accepts the connection but never answers", async () => {
    const { createServer } = await import("node:net");
    const blackHole = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    try {
      const result = await hook(payload("stop", `hook-hang-${++n}`), url);
      expect(result.code).toBe(0);
      expect(result.ms).toBeLessThan(1500);
      expect(result.stderr).toMatch(/ETIMEDOUT/);
      expect(sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      blackHole.close();
    }
  });
});

