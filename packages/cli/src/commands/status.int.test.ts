import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, PULSE_JS, runCli, Sandbox } from "../test-support/cli-process";
import { closeRestartedIngests, postJson, restartIngest, startIngestOn } from "../test-support/ingest-control";

const MIN = 60_000;
let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "clistatus", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
});
afterAll(async () => {
  await closeRestartedIngests();
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => sandbox.cleanup());

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { env: sandbox.env({ PULSE_URL: stack.url, ...extra }) });
const cacheFile = () => join(sandbox.pulseHome, "status.json");
const readCache = () => JSON.parse(readFileSync(cacheFile(), "utf8"));
const writeCache = (cache: object) => {
  mkdirSync(sandbox.pulseHome, { recursive: true });
  writeFileSync(cacheFile(), JSON.stringify(cache));
};

let seq = 0;
async function send(session: string, kind: string, project: string, url = stack.url) {
  const reply = await postJson(url, "/v1/events", {
    session_id: session,
    source: "claude-code",
    kind,
    cwd: `/home/dev/${project}`,
    time: Date.now() - MIN + ++seq,
    id: `status-${seq}`,
  });
  expect(reply.status).toBe(202);
}

const applied = (id: string, status: string) =>
  waitFor(
    async () => {
      const response = await fetch(`${stack.url}/v1/sessions/${encodeURIComponent(id)}`);
      const body = response.status === 200 ? ((await response.json()) as { status: string }) : null;
      return body?.status === status ? body : undefined;
    },
    { what: `session ${id} ${status}` },
  );

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe("pulse status", () => {
  beforeAll(async () => {
    await send("st-work-1", "prompt", "status");
    await send("st-work-2", "tool", "status");
    await send("st-perm", "attention", "status");
    await send("st-turn", "turn_end", "status");
    await send("st-gone", "end", "status");
    await applied("st-perm", "waiting");
    await applied("st-turn", "waiting");
    await applied("st-gone", "ended");
    await applied("st-work-2", "active");
  });

  it("--refresh asks ingest and prints the line; then it prints from the cache without asking", async () => {
    const fresh = await cli(["status", "--refresh"]);
    expect(fresh).toMatchObject({ code: 0, stdout: "2 working · 1 needs you · 1 waiting\n", stderr: "" });
    const cached = readCache();
    expect(cached).toMatchObject({ url: stack.url, error: null, counts: { working: 2, needs_you: 1, waiting: 1 } });

    const again = await cli(["status"]);
    expect(again).toMatchObject({ code: 0, stdout: "2 working · 1 needs you · 1 waiting\n" });
    // Fresh (under 5 s): no refresh was started.
    await new Promise((r) => setTimeout(r, 700));
    expect(readCache().checked_at).toBe(cached.checked_at);
    expect(existsSync(join(sandbox.pulseHome, "status.refresh.lock"))).toBe(false);

    const json = JSON.parse((await cli(["status", "--json"])).stdout);
    expect(json).toMatchObject({
      state: "ok",
      working: 2,
      needs_you: 1,
      waiting: 1,
      open: 3 + 1,
      error: null,
      line: "2 working · 1 needs you · 1 waiting",
    });
    expect(Date.parse(json.updated_at)).toBe(cached.ok_at);
  });

  it("a cache older than 5 s is printed as it is, and refreshed in the background", async () => {
    const old = Date.now() - 10_000;
    writeCache({
      url: stack.url,
      checked_at: old,
      ok_at: old,
      error: null,
      counts: { working: 9, needs_you: 0, waiting: 0 },
    });
    const result = await cli(["status"]);
    expect(result).toMatchObject({ code: 0, stdout: "9 working\n" });
    const refreshed = await waitFor(() => (readCache().checked_at > old ? readCache() : undefined), {
      what: "the background refresh",
    });
    expect(refreshed.counts).toEqual({ working: 2, needs_you: 1, waiting: 1 });
    await waitFor(() => !existsSync(join(sandbox.pulseHome, "status.refresh.lock")), { what: "the lock released" });
    expect((await cli(["status"])).stdout).toBe("2 working · 1 needs you · 1 waiting\n");
  });

  it("figures a minute old are marked stale; another ingest's cache is not used", async () => {
    const old = Date.now() - 2 * MIN;
    const cache = {
      url: stack.url,
      checked_at: old,
      ok_at: old,
      error: null,
      counts: { working: 1, needs_you: 1, waiting: 0 },
    };
    writeCache(cache);
    expect((await cli(["status"])).stdout).toBe("1 working · 1 needs you (stale)\n");
    writeCache({ ...cache, url: "http://127.0.0.1:1", checked_at: Date.now(), ok_at: Date.now() });
    // No cache for this ingest yet: says so, and refreshes.
    expect((await cli(["status"])).stdout).toBe("pulse: …\n");
    await waitFor(() => (readCache().url === stack.url ? true : undefined), { what: "this ingest's cache" });
  });

  it("says offline when ingest has not answered for a while, and never waits for it", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const first = await cli(["status"], { PULSE_URL: url });
    expect(first).toMatchObject({ code: 0, stdout: "pulse: …\n" });
    await waitFor(() => (existsSync(cacheFile()) && readCache().error === "unreachable" ? true : undefined), {
      what: "the failed refresh recorded",
    });
    expect((await cli(["status"], { PULSE_URL: url })).stdout).toBe("pulse: offline\n");
    expect(JSON.parse((await cli(["status", "--json"], { PULSE_URL: url })).stdout)).toMatchObject({
      state: "offline",
      counts: null,
      error: "unreachable",
      line: "pulse: offline",
    });
    // A failure just after a success keeps the figures (a blip); 30 s without an answer is offline.
    const counts = { working: 3, needs_you: 0, waiting: 0 };
    writeCache({ url, checked_at: Date.now(), ok_at: Date.now() - 10_000, error: "unreachable", counts });
    expect((await cli(["status"], { PULSE_URL: url })).stdout).toBe("3 working\n");
    writeCache({ url, checked_at: Date.now(), ok_at: Date.now() - 31_000, error: "unreachable", counts });
    expect((await cli(["status"], { PULSE_URL: url })).stdout).toBe("pulse: offline\n");
  });

  it("a refused token is said as such; a bad option is a usage error", async () => {
    const secured = await startIngestOn(stack, 0, { PULSE_TOKEN: "status-token-123" });
    try {
      const url = `http://127.0.0.1:${(secured.app.getHttpServer().address() as AddressInfo).port}`;
      const refused = await cli(["status", "--refresh"], { PULSE_URL: url, PULSE_TOKEN: "wrong-token-456" });
      expect(refused.stdout).toBe("pulse: token refused\n");
      const ok = await cli(["status", "--refresh"], { PULSE_URL: url, PULSE_TOKEN: "status-token-123" });
      expect(ok.stdout).toBe("2 working · 1 needs you · 1 waiting\n");
    } finally {
      await secured.close();
    }
    expect(await cli(["status", "--watch"])).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "pulse: status: unknown option --watch; usage: pulse status [--json] [--refresh]\n",
    });
  });
});

/** `pulse sessions --follow` as a child whose output is read as it comes. */
function follow(args: string[]) {
  const child = spawn(process.execPath, [PULSE_JS, "sessions", "--follow", ...args], {
    env: sandbox.env({ PULSE_URL: stack.url }) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c) => (out.stdout += c));
  child.stderr.on("data", (c) => (out.stderr += c));
  const lines = () => out.stdout.split("\n").filter(Boolean);
  return { child, out, lines, stop: () => child.kill("SIGKILL") };
}

describe("pulse sessions --follow", () => {
  it("prints each change as a line, and after a lost connection goes on from where it was, once each", async () => {
    const f = follow(["--project", "follow"]);
    try {
      await waitFor(() => (f.lines().length >= 1 ? true : undefined), { what: "the header" });
      expect(f.lines()[0]).toMatch(/^ID\s+STATUS\s+AGENT\s+PROJECT\s+STARTED\s+LAST EVENT\s+DURATION\s+TITLE$/);
      await new Promise((r) => setTimeout(r, 300)); // connected
      await send("fo-1", "prompt", "follow");
      await send("fo-elsewhere", "prompt", "other");
      await waitFor(() => f.lines().find((l) => l.startsWith("fo-1 ")), { what: "the first change" });
      expect(f.lines()[1]).toMatch(/^fo-1\s+active\s+claude-code\s+follow\s/);

      // Ingest goes away (the stream ends); a change happens meanwhile, through another ingest.
      await stack.ingest.close();
      const other = await startIngestOn(stack, 0);
      try {
        const otherUrl = `http://127.0.0.1:${(other.app.getHttpServer().address() as AddressInfo).port}`;
        await send("fo-1", "turn_end", "follow", otherUrl);
        await waitFor(() => (f.out.stderr.includes("stream lost") ? true : undefined), { what: "the loss said" });
        await restartIngest(stack);
        await waitFor(() => f.lines().find((l) => /^fo-1\s+waiting/.test(l)), { what: "the missed change" });
        await send("fo-2", "prompt", "follow");
        await waitFor(() => f.lines().find((l) => l.startsWith("fo-2 ")), { what: "a live change after" });
      } finally {
        await other.close();
      }
      const rows = f.lines().slice(1);
      expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual([
        "fo-1 active",
        "fo-1 waiting",
        "fo-2 active",
      ]);
      expect(f.out.stderr).toMatch(/^pulse: stream lost: .*; reconnecting\npulse: stream back\n$/);
    } finally {
      f.stop();
    }
  });

  it("--json prints one Session JSON per line; a bad filter is refused before streaming", async () => {
    const f = follow(["--json", "--status", "waiting", "--project", "follow-json"]);
    try {
      await new Promise((r) => setTimeout(r, 500));
      await send("fj-1", "turn_end", "follow-json");
      const line = await waitFor(() => f.lines()[0], { what: "a JSON line" });
      expect(JSON.parse(line)).toMatchObject({ id: "fj-1", status: "waiting", project: "follow-json" });
    } finally {
      f.stop();
    }
    expect(await cli(["sessions", "--follow", "--status", "busy"])).toMatchObject({ code: 2 });
    expect(await cli(["sessions", "--follow", "--limit", "5"])).toMatchObject({
      code: 2,
      stderr: "pulse: sessions: --limit cannot be used with --follow (it filters by status, project, agent)\n",
    });
  });
});
