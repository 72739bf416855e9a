import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, PULSE_JS, runCli, runProcess, Sandbox } from "../test-support/cli-process";
import { getJson, postJson, startIngestOn } from "../test-support/ingest-control";

const MIN = 60_000;
const TOKEN = "cli-test-token-123";

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  // Sessions here are hours old on purpose: keep the reaper from ending them first.
  stack = await startStack({ label: "cliapi", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: sandbox.env({ PULSE_URL: stack.url, ...extra }) });

/** A session made of events at given minutes ago (the last one may be an end). */
async function seed(
  id: string,
  project: string,
  minutesAgo: number[],
  end = false,
  extra: Record<string, unknown> = {},
) {
  const now = Date.now();
  const events = minutesAgo.map((m, i) => ({
    session_id: id,
    source: "claude-code",
    kind: i === 0 ? "start" : end && i === minutesAgo.length - 1 ? "end" : "prompt",
    detail: i === 1 ? `work on ${id}` : undefined,
    cwd: `/home/dev/${project}`,
    time: now - m * MIN,
    id: `${id}-${i}`,
    ...extra,
  }));
  expect((await postJson(stack.url, "/v1/events", events)).status).toBe(202);
}

const session = async (id: string) => (await getJson(stack.url, `/v1/sessions/${id}`)).body;

async function settle(ids: string[], counts: number[]) {
  await waitFor(
    async () => {
      for (let i = 0; i < ids.length; i++) if ((await session(ids[i])).event_count !== counts[i]) return undefined;
      return true;
    },
    { what: "seeded sessions" },
  );
}

describe("pulse cleanup", () => {
  const old1 = "cleanup-old-1";
  const old2 = "cleanup-old-2";
  const fresh = "cleanup-fresh";
  const endedOld = "cleanup-ended";

  beforeAll(async () => {
    await seed(old1, "acme", [180, 120]);
    await seed(old2, "acme", [200, 90]);
    await seed(fresh, "acme", [30, 5]);
    await seed(endedOld, "acme", [300, 290, 280], true);
    await settle([old1, old2, fresh, endedOld], [2, 2, 2, 3]);
  });

  it("--dry-run lists the open sessions silent for over the threshold and changes nothing", async () => {
    const json = await cli(["cleanup", "--dry-run", "--json"]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ dry_run: true, older_than_minutes: 60, count: 2 });
    expect(result.sessions.map((s: any) => s.id).sort()).toEqual([old1, old2]);

    const table = await cli(["cleanup", "--dry-run", "--older-than", "100m"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(old1);
    expect(table.stdout).not.toContain(old2); // 90 minutes silent: under 100 m
    expect(table.stdout).toContain(
      "1 session(s) silent for more than 100 min would be ended (dry run: nothing changed).",
    );
    for (const id of [old1, old2, fresh]) expect((await session(id)).status).not.toBe("ended");
  });

  it("refuses to act without a terminal unless --force, and refuses a bad threshold", async () => {
    const noForce = await cli(["cleanup"]);
    expect(noForce).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        "pulse: cleanup: not on a terminal, so there is nobody to confirm: add --force (or --dry-run to only list)\n",
    });
    const bad = await cli(["cleanup", "--older-than", "60"]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'pulse: cleanup: --older-than must be a duration like 30m, 1h, 2d or 1h30m (got "60")\n',
    });
    for (const id of [old1, old2]) expect((await session(id)).status).not.toBe("ended");
  });

  it("asks on a terminal; answering no changes nothing", async () => {
    const result = await runProcess("script", ["-qefc", `${process.execPath} ${PULSE_JS} cleanup`, "/dev/null"], {
      input: "n\n",
      env: sandbox.env({ PULSE_URL: stack.url }),
    });
    expect(result.stdout).toContain(old1);
    expect(result.stdout).toContain("End these 2 session(s)? [y/N]");
    expect(result.stdout).toContain("Nothing changed.");
    expect(result.code).toBe(1);
    for (const id of [old1, old2]) expect((await session(id)).status).not.toBe("ended");
  });

  it("--force ends exactly the listed sessions, at their last event, with end_reason closed", async () => {
    const listed = JSON.parse((await cli(["cleanup", "--dry-run", "--json"])).stdout)
      .sessions.map((s: any) => s.id)
      .sort();
    const before = await Promise.all([old1, old2].map(session));
    const result = await cli(["cleanup", "--force"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 session(s) silent for more than 60 min ended.");
    const endedNow = [old1, old2, fresh, endedOld].filter((id) => result.stdout.includes(id)).sort();
    expect(endedNow).toEqual(listed);
    for (const [i, id] of [old1, old2].entries()) {
      expect(await session(id)).toMatchObject({
        status: "ended",
        end_reason: "closed",
        ended_at: before[i].last_event_at,
      });
    }
    expect((await session(fresh)).status).toBe("active");
    expect(await session(endedOld)).toMatchObject({ status: "ended", end_reason: "session_end" });
    const again = await cli(["cleanup", "--force"]);
    expect(again.stdout).toBe("No open session has been silent for more than 60 min; nothing to clean up.\n");
  });

  it("asks on a terminal; answering yes ends the listed sessions (by id), at their last event", async () => {
    const yes1 = `yes-${Date.now()}-1`;
    const yes2 = `yes-${Date.now()}-2`;
    await seed(yes1, "acme", [400, 300]);
    await seed(yes2, "acme", [400, 250]);
    await settle([yes1, yes2], [2, 2]);
    const before = await Promise.all([yes1, yes2].map(session));
    const result = await runProcess(
      "script",
      ["-qefc", `${process.execPath} ${PULSE_JS} cleanup --older-than 4h`, "/dev/null"],
      { input: "y\n", env: sandbox.env({ PULSE_URL: stack.url }) },
    );
    expect(result.stdout).toContain("End these 2 session(s)? [y/N]");
    expect(result.stdout).toContain("2 session(s) silent for more than 240 min ended.");
    expect(result.code).toBe(0);
    for (const [i, id] of [yes1, yes2].entries()) {
      expect(await session(id)).toMatchObject({
        status: "ended",
        end_reason: "closed",
        ended_at: before[i].last_event_at,
      });
    }
  });
});

describe("pulse sessions", () => {
  beforeAll(async () => {
    await seed("list-a", "alpha", [50, 40]);
    await seed("list-b", "beta", [30, 20, 10], true);
    await settle(["list-a", "list-b"], [2, 3]);
  });

  it("lists sessions in an aligned table, and filters", async () => {
    const all = await cli(["sessions", "--project", "alpha"]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+AGENT\s+PROJECT\s+STARTED\s+LAST EVENT\s+DURATION\s+TITLE$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^list-a\s+active\s+claude-code\s+alpha\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+40m ago\s+10m 00s\s+work on list-a$/,
    );
    // Columns line up: every row's STATUS starts where the header's does.
    expect(lines[1].indexOf("active")).toBe(lines[0].indexOf("STATUS"));
    expect(all.stdout).not.toContain("\u001b["); // no colour off a terminal

    const ended = await cli(["sessions", "--status", "ended", "--project", "beta", "--json"]);
    const items = JSON.parse(ended.stdout);
    expect(items.map((s: any) => s.id)).toEqual(["list-b"]);
    expect(items[0]).toMatchObject({ status: "ended", end_reason: "session_end", duration_ms: 20 * MIN });
  });

  it("shows one session with its events, and closes one", async () => {
    const show = await cli(["sessions", "show", "list-a"]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Session\s+list-a$/m);
    expect(show.stdout).toMatch(/^Status\s+active$/m);
    expect(show.stdout).toMatch(/^Duration\s+10m 00s$/m);
    expect(show.stdout).toMatch(/^TIME\s+KIND\s+EVENT\s+TOOL\s+DETAIL$/m);
    expect(show.stdout).toMatch(/\d\d:\d\d:\d\d\s+prompt\s+work on list-a$/m);

    const close = await cli(["sessions", "close", "list-a"]);
    expect(close.code).toBe(0);
    expect(close.stdout).toMatch(/^✓ Closed session list-a \(ended at its last event, .*\)\.$/m);
    expect(await session("list-a")).toMatchObject({ status: "ended", end_reason: "closed" });
    const again = await cli(["sessions", "close", "list-a"]);
    expect(again.stdout).toContain("had already ended");
  });

  it("shows the session a /clear replaced", async () => {
    const hook = (name: string, id: string) =>
      runCli(["hook"], {
        input: JSON.stringify({ ...require(`../../../../test/fixtures/claude-code/${name}.json`), session_id: id }),
        env: sandbox.env({ PULSE_URL: stack.url, PULSE_NO_WATCH: "1" }),
      });
    await hook("session-start", "clear-parent");
    await hook("session-end-clear", "clear-parent");
    await hook("session-start-after-clear", "clear-child");
    await waitFor(async () => (await session("clear-child")).parent_session_id === "clear-parent", {
      what: "the link",
    });
    const show = await cli(["sessions", "show", "clear-child"]);
    expect(show.stdout).toMatch(/^After \/clear of\s+clear-parent$/m);
    const json = JSON.parse((await cli(["sessions", "show", "clear-child", "--json"])).stdout);
    expect(json.parent_session_id).toBe("clear-parent");
  });

  it("says what is wrong in one line, with exit codes that mean something", async () => {
    const missing = await cli(["sessions", "show", "no-such-session"]);
    expect(missing).toMatchObject({ code: 5, stdout: "", stderr: 'pulse: no session with id "no-such-session"\n' });
    const down = await cli(["sessions"], { PULSE_URL: "http://127.0.0.1:1" });
    expect(down).toMatchObject({
      code: 3,
      stderr:
        "pulse: cannot reach ingest at http://127.0.0.1:1 (ECONNREFUSED); is Pulse running? `pulse doctor` checks the setup\n",
    });
    const badUrl = await cli(["sessions"], { PULSE_URL: "localhost:6820" });
    expect(badUrl).toMatchObject({
      code: 2,
      stderr: 'pulse: PULSE_URL "localhost:6820" must start with http:// or https://\n',
    });
    const badStatus = await cli(["sessions", "--status", "running"]);
    expect(badStatus).toMatchObject({
      code: 2,
      stderr:
        'pulse: sessions: --status: unknown status "running"; use active, waiting, ended or open (comma-separated)\n',
    });
    const badLimit = await cli(["sessions", "--limit", "0"]);
    expect(badLimit.code).toBe(2);
    const unknown = await cli(["sesions"]);
    expect(unknown).toMatchObject({ code: 2, stderr: 'pulse: unknown command "sesions"; see `pulse --help`\n' });
    const noId = await cli(["sessions", "show"]);
    expect(noId).toMatchObject({
      code: 2,
      stderr: "pulse: sessions show: missing argument; usage: pulse sessions show ID [--events N] [--json]\n",
    });
  });

  it("exits 4 when the server refuses the token, and works with the right one", async () => {
    const guarded = await startIngestOn(stack, 0, { PULSE_TOKEN: TOKEN });
    const url = `http://127.0.0.1:${(guarded.app.getHttpServer().address() as { port: number }).port}`;
    try {
      const none = await cli(["sessions"], { PULSE_URL: url });
      expect(none).toMatchObject({
        code: 4,
        stderr:
          "pulse: ingest refused the request: missing Authorization: Bearer <token> header (the server needs a token: set PULSE_TOKEN)\n",
      });
      const wrong = await cli(["sessions"], { PULSE_URL: url, PULSE_TOKEN: "wrong-token-456" });
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toContain("PULSE_TOKEN does not match the server's");
      const right = await cli(["sessions", "--json"], { PULSE_URL: url, PULSE_TOKEN: TOKEN });
      expect(right.code).toBe(0);
      const doctor = await cli(["doctor"], { PULSE_URL: url });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain("✗ the server requires a token and none is set");
    } finally {
      await guarded.close();
    }
  });
});

describe("pulse stats and doctor", () => {
  it("stats: counts by status, cleanup candidates, 7 days", async () => {
    await seed("stats-candidate", "gamma", [240, 180]);
    await settle(["stats-candidate"], [2]);
    const result = await cli(["stats", "--json"]);
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout);
    const counts = (await getJson(stack.url, "/v1/stats")).body;
    expect(stats).toMatchObject({
      active: counts.active,
      waiting: counts.waiting,
      ended: counts.ended,
      total: counts.total,
    });
    expect(stats.cleanup_candidates.session_ids).toContain("stats-candidate");
    expect(stats.days).toHaveLength(7);
    const table = await cli(["stats"]);
    expect(table.stdout).toMatch(/^\d+ active {2}\d+ waiting {2}\d+ ended {2}\(\d+ in all\)$/m);
    expect(table.stdout).toMatch(/^DAY\s+SESSIONS\s+ENDED\s+AVG DURATION\s+COST\s+EST\. COST$/m);
  });

  it("doctor: passes with hooks installed and ingest up; says what to fix otherwise", async () => {
    const before = await cli(["doctor"]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("✗ no agent has Pulse's hooks installed");
    expect(before.stdout).toContain("→ run `pulse hooks install`");
    await cli(["hooks", "install"]);
    const ok = await cli(["doctor", "--json"]);
    const report = JSON.parse(ok.stdout);
    expect(ok.code).toBe(0);
    expect(report.checks.map((c: any) => `${c.name}:${c.level}`)).toEqual(
      expect.arrayContaining(["ingest:ok", "ready:ok", "token:ok", "hooks:ok", "spool:ok", "watchers:ok"]),
    );

    const down = await cli(["doctor"], { PULSE_URL: "http://127.0.0.1:1" });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(
      /^✗ ingest not reachable at http:\/\/127\.0\.0\.1:1 \(from PULSE_URL\): ECONNREFUSED$/m,
    );
  });

  it("doctor: checks the very route hooks post to, and passes only when nothing needs a look", async () => {
    await cli(["hooks", "install"]);
    await cli(["hooks", "install", "--agent", "gemini"]);
    const clean = await cli(["doctor"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`✓ ${stack.url}/v1/hooks/claude-code takes claude-code hooks`);
    expect(clean.stdout).toContain(`✓ ${stack.url}/v1/hooks/gemini takes gemini hooks`);
    expect(clean.stdout.trimEnd().split("\n").pop()).toBe("All checks passed.");

    // An event from two minutes ago (Gemini stamps its own time) that a hook could not deliver.
    const event = JSON.stringify({
      session_id: "doctor-stuck-1",
      hook_event_name: "AfterAgent",
      cwd: "/home/dev/x",
      timestamp: new Date(Date.now() - 2 * MIN).toISOString(),
    });
    const hook = await runCli(["hook", "--agent", "gemini"], {
      input: event,
      env: sandbox.env({ PULSE_URL: "http://127.0.0.1:1", PULSE_NO_WATCH: "1" }),
    });
    expect(hook).toMatchObject({ code: 0, stderr: "" });
    const stuck = await cli(["doctor"]);
    expect(stuck.code).toBe(1);
    expect(stuck.stdout).toMatch(
      /^✗ 1 event\(s\) not delivered in .*spool, the oldest from 2m ago, though ingest answers$/m,
    );
    expect(stuck.stdout).toContain("→ `pulse spool flush` delivers them now");
    expect(stuck.stdout).toMatch(
      /^! 1 hook problem\(s\) in the last hour; the last, .*: ingest unreachable at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\); 1 event\(s\) kept in .* until it answers$/m,
    );

    // Delivered: nothing fails, but the logged problem is still worth a look — not "All checks passed".
    expect((await cli(["spool", "flush"])).code).toBe(0);
    const warned = await cli(["doctor"]);
    expect(warned.code).toBe(0);
    expect(warned.stdout.trimEnd().split("\n").pop()).toBe("No check failed; 1 warning(s) above.");
  });

  it("doctor: warns about jobs that failed for good (dead letters), with the first reason", async () => {
    await cli(["hooks", "install"]);
    const { applyEventsJob, QUEUE_NAMES } = await import("@pulse/queues");
    const { Queue } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const redis = new Redis(stack.env.redisUrl, { maxRetriesPerRequest: null });
    const events = new Queue(QUEUE_NAMES.events, { connection: redis, prefix: stack.env.redisPrefix });
    try {
      const job = await events.add(
        applyEventsJob.name,
        { events: [{ session_id: "x", kind: "nap" }] },
        applyEventsJob.options,
      );
      await waitFor(async () => ((await job.getState()) === "failed" ? true : undefined), { what: "the job to fail" });
      const warned = await cli(["doctor"]);
      expect(warned.code).toBe(0);
      expect(warned.stdout).toMatch(/^! 1 job\(s\) failed for good, e\.g\. events: .*invalid payload/m);
      expect(warned.stdout).toContain("→ see the failed tab of the queue board (/queues)");
      await job.remove();
      expect((await cli(["doctor"])).stdout).toContain("✓ no failed jobs");
    } finally {
      await events.close();
      await redis.quit();
    }
  });

  it("doctor: says when hooks started elsewhere post to another server than this shell's PULSE_URL", async () => {
    await cli(["hooks", "install"], { PULSE_URL: "http://127.0.0.1:1" }); // saved for the hooks
    const result = await cli(["doctor"]); // this shell: PULSE_URL = the running stack
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✓ ingest reachable at ${stack.url} (from PULSE_URL)`);
    expect(result.stdout).toMatch(
      new RegExp(
        `^✗ PULSE_URL here is ${stack.url.replace(/[.]/g, "\\.")}, but hooks of agents started without it post to http://127\\.0\\.0\\.1:1 \\(saved in .*config\\.json\\), which does not answer \\(ECONNREFUSED\\)$`,
        "m",
      ),
    );
    expect(result.stdout).toContain(
      "→ run `pulse hooks install` with PULSE_URL (and PULSE_TOKEN) set to save them for the hooks",
    );
    // Saved again from this shell: one server, nothing to say.
    await cli(["hooks", "install"]);
    expect((await cli(["doctor"])).stdout).not.toContain("PULSE_URL here is");
  });

  it("doctor: says when hooks stopped trying an ingest that accepts connections and never answers", async () => {
    const { createServer } = await import("node:net");
    const hole = createServer(() => {});
    await new Promise<void>((r) => hole.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hole.address() as { port: number }).port}`;
    try {
      await cli(["hooks", "install"], { PULSE_URL: url });
      await runCli(["hook"], {
        input: JSON.stringify({ session_id: "doctor-hung-1", hook_event_name: "Stop" }),
        env: sandbox.env({ PULSE_URL: url, PULSE_NO_WATCH: "1" }),
      });
      // The hook gives up after 50 ms and leaves the event to a background delivery, whose longer try
      // (seconds, no answer) pauses the hooks.
      const { existsSync } = await import("node:fs");
      const { join } = await import("node:path");
      await waitFor(() => existsSync(join(sandbox.pulseHome, "spool", ".ingest-unresponsive.json")) || undefined, {
        what: "the hooks' pause",
        timeoutMs: 15_000,
      });
      const result = await cli(["doctor"], { PULSE_URL: url });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^! hooks only spool until .*: ingest did not answer them \(ingest unreachable at http:\/\/127\.0\.0\.1:\d+ \(ETIMEDOUT\)\), first .*$/m,
      );
    } finally {
      hole.close();
    }
  });
});
