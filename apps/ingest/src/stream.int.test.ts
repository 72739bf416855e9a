import { type AddressInfo, createServer, type Server, Socket } from "node:net";
import pino from "pino";
import { lastChangeId, readChangesAfter, sessionChangesKey } from "@pulse/queues";
import { Redis } from "ioredis";
import { waitFor } from "../../../test/env";
import { client } from "../../../test/http";
import { startStack, type TestStack } from "../../../test/stack";
import { StreamClient } from "../../../test/stream-client";
import { createIngestApp } from "./app";
import { loadIngestConfig } from "./config";

const MIN = 60_000;
let stack: TestStack;
let redis: Redis;
let key: string;
let api: ReturnType<typeof client>;
const streams: StreamClient[] = [];
const open = (query = "", headers: Record<string, string> = {}) => {
  const stream = new StreamClient(`${stack.url}/v1/stream${query}`, headers);
  streams.push(stream);
  return stream;
};

beforeAll(async () => {
  stack = await startStack({ label: "stream", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  redis = new Redis(stack.env.redisUrl);
  key = sessionChangesKey(stack.env.redisPrefix);
  api = client(stack.url);
});
afterEach(() => {
  for (const s of streams.splice(0)) s.drop();
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

let seq = 0;
/** One event on a session of a project; resolves once ingest has queued it. */
async function send(session: string, kind: string, project = "acme", extra: Record<string, unknown> = {}) {
  const reply = await api.post("/v1/events", {
    session_id: session,
    source: "claude-code",
    kind,
    cwd: `/home/dev/${project}`,
    time: Date.now() - MIN + ++seq,
    id: `stream-${seq}`,
    ...extra,
  });
  expect(reply.status).toBe(202);
}

/** Waits until the store has applied the session's state. */
const applied = (id: string, status: string) =>
  waitFor(
    async () => {
      const reply = await api.get(`/v1/sessions/${encodeURIComponent(id)}`);
      return reply.status === 200 && reply.body.status === status ? reply.body : undefined;
    },
    { what: `session ${id} ${status}` },
  );

/** Entries of the session-change stream after an id, as the store wrote them. */
const entriesAfter = async (id: string) => (await readChangesAfter(redis, key, id, 10_000)).changes.map((c) => c.id);

describe("GET /v1/stream", () => {
  it("resumes with Last-Event-ID after a dropped connection: every change once, in order, none missing", async () => {
    const first = await open().started();
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    // The first thing said is where the client is, so even a reconnect before any change misses nothing.
    await waitFor(() => first.lastId, { what: "the stream's position" });
    const start = first.lastId as string;

    // Changes keep coming throughout: the drop and the reconnect happen in the middle of them.
    let producing = true;
    const producer = (async () => {
      for (let i = 0; producing || i < 30; i++) {
        await send(`resume-${i % 5}`, i % 2 ? "tool" : "prompt");
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await waitFor(() => (first.sessions.length >= 8 ? true : undefined), { what: "a few changes on the first stream" });
    first.drop();
    const seenBefore = first.sessions.map((s) => s.entry);
    // Changes that happen while nobody listens.
    const missed = await waitFor(
      async () => ((await entriesAfter(first.lastId as string)).length >= 5 ? true : undefined),
      { what: "changes while disconnected" },
    );
    expect(missed).toBe(true);
    const second = await open("", { "last-event-id": first.lastId as string }).started();
    await new Promise((r) => setTimeout(r, 300));
    producing = false;
    await producer;
    // Until the last events are applied: the stream stops growing.
    await waitFor(
      async () => {
        const before = (await entriesAfter(start)).length;
        await new Promise((r) => setTimeout(r, 400));
        return (await entriesAfter(start)).length === before ? true : undefined;
      },
      { what: "the changes to stop" },
    );
    const all = await waitFor(
      async () => {
        const expected = await entriesAfter(start);
        const got = [...seenBefore, ...second.sessions.map((s) => s.entry)];
        return got.length >= expected.length ? { expected, got } : undefined;
      },
      { what: "the resumed stream to catch up" },
    );
    expect(all.got).toEqual(all.expected);
    expect(new Set(all.got).size).toBe(all.got.length);
    // Each event is the Session JSON of the change.
    expect(second.sessions[0]).toMatchObject({ id: expect.stringMatching(/^resume-/), source: "claude-code" });
  });

  it("last_event_id in the query resumes like the header", async () => {
    const position = await lastChangeId(redis, key);
    await send("query-resume", "start");
    await applied("query-resume", "active");
    const stream = await open(`?last_event_id=${position}`).started();
    await waitFor(() => stream.sessions.find((s) => s.id === "query-resume"), { what: "the change after the id" });
    expect(stream.events[0]).toMatchObject({ event: "session" });
  });

  it("filters: matching changes, plus the change that takes a session out of the filter, once", async () => {
    const stream = await open("?status=waiting&project=filtered").started();
    await waitFor(() => stream.lastId, { what: "the stream's position" });
    await send("f-1", "start", "filtered");
    await applied("f-1", "active");
    await send("f-other", "start", "elsewhere");
    await send("f-other", "turn_end", "elsewhere");
    await applied("f-other", "waiting");
    await send("f-1", "turn_end", "filtered");
    await applied("f-1", "waiting");
    await send("f-1", "prompt", "filtered");
    await applied("f-1", "active");
    await send("f-1", "tool", "filtered");
    await send("f-1", "tool", "filtered", { tool: "Bash" });
    await send("f-1", "turn_end", "filtered");
    await applied("f-1", "waiting");
    await waitFor(() => (stream.sessions.length >= 4 ? true : undefined), { what: "four changes of f-1" });
    // Settle: anything else would have arrived by now (the sessions above are applied).
    await new Promise((r) => setTimeout(r, 300));
    // f-other (another project) never; f-1's first change (active: it may have been waiting before
    // this connection), its waits, and the one change that took it out of the filter, not the next.
    expect(stream.sessions.map((s) => [s.id, s.status])).toEqual([
      ["f-1", "active"],
      ["f-1", "waiting"],
      ["f-1", "active"],
      ["f-1", "waiting"],
    ]);
  });

  it("filters by agent (source): another agent's sessions are not sent", async () => {
    const stream = await open("?source=codex&status=open").started();
    await waitFor(() => stream.lastId, { what: "the stream's position" });
    await send("src-claude", "prompt", "agents");
    await send("src-codex", "prompt", "agents", { source: "codex" });
    await applied("src-codex", "active");
    await applied("src-claude", "active");
    await send("src-codex", "end", "agents", { source: "codex" });
    await applied("src-codex", "ended");
    await waitFor(() => (stream.sessions.length >= 2 ? true : undefined), { what: "the codex session's changes" });
    await new Promise((r) => setTimeout(r, 300));
    // Its end is sent once: it takes the session out of status=open.
    expect(stream.sessions.map((s) => [s.id, s.status])).toEqual([
      ["src-codex", "active"],
      ["src-codex", "ended"],
    ]);
  });

  it("an id the stream no longer holds: first a reset (refetch), then live", async () => {
    await send("trim-1", "start");
    await applied("trim-1", "active");
    const old = await lastChangeId(redis, key);
    // Trimmed past it, as 10,000 newer changes would.
    await redis.xtrim(key, "MAXLEN", 0);
    const stream = await open("", { "last-event-id": old }).started();
    await waitFor(() => stream.events[0], { what: "the reset" });
    expect(stream.events[0]).toMatchObject({ event: "reset", id: expect.stringMatching(/^\d+-\d+$/) });
    expect(JSON.parse(stream.events[0].data).reason).toMatch(/no longer holds/);
    await send("trim-1", "tool");
    await waitFor(() => stream.sessions.find((s) => s.id === "trim-1"), { what: "a live change after the reset" });
    // Nonsense in the header is a reset too (an EventSource cannot be told 400 and would stop).
    const garbage = await open("", { "last-event-id": "not-an-id" }).started();
    await waitFor(() => garbage.events[0], { what: "the reset" });
    expect(garbage.events[0].event).toBe("reset");
  });

  it("refuses a bad query with 400 JSON before streaming", async () => {
    for (const query of ["?status=busy", "?last_event_id=yesterday"]) {
      const stream = await open(query).started();
      await waitFor(() => (stream.ended ? true : undefined), { what: "the refusal's end" });
      expect(stream.status).toBe(400);
      expect(stream.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(stream.body)).toMatchObject({ error: "invalid_request" });
    }
    const stream = await open("?status=busy").started();
    await waitFor(() => (stream.ended ? true : undefined), { what: "the refusal's end" });
    expect(JSON.parse(stream.body).message).toMatch(/unknown status "busy"/);
  });

  it("a browser page of another site, or a Host that is not this ingest, is refused (403)", async () => {
    const crossSite = await open("", { origin: "https://evil.example" }).started();
    expect(crossSite.status).toBe(403);
    // DNS rebinding: a name that resolves here, but is not a name of this ingest.
    const rebound = await open("", { host: "evil.example" }).started();
    expect(rebound.status).toBe(403);
  });

  it("keeps a connection past the server's request timeout (20 s), with a ping every 15 s", async () => {
    const stream = await open().started();
    await new Promise((r) => setTimeout(r, 21_000));
    expect(stream.ended).toBe(false);
    expect(stream.comments).toContain("ping");
    await send("late-1", "start");
    await waitFor(() => stream.sessions.find((s) => s.id === "late-1"), { what: "a change after 21 s" });
  }, 40_000);
});

/** A TCP relay to Redis that the test cuts, as a network failure would (closes every connection, refuses new ones). */
async function cuttableRedis(target: URL) {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = new Socket();
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    sockets.add(client).add(upstream);
    client.on("error", forget).on("close", forget);
    upstream.on("error", forget).on("close", forget);
    upstream.connect(Number(target.port || 6379), target.hostname, () => client.pipe(upstream).pipe(client));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `redis://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const drop = () => {
    cut = true;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    url,
    drop,
    restore: () => (cut = false),
    close: () => new Promise<void>((resolve) => (drop(), server.close(() => resolve()))),
  };
}

describe("GET /v1/stream across a Redis outage", () => {
  it("says Redis is unreachable, then sends what changed meanwhile, in order, once each", async () => {
    const relay = await cuttableRedis(new URL(stack.env.redisUrl));
    // A second ingest whose Redis is behind the relay; changes are still made through the stack's.
    const config = loadIngestConfig({
      DATABASE_URL: stack.env.databaseUrl,
      REDIS_URL: relay.url,
      PULSE_REDIS_PREFIX: stack.env.redisPrefix,
    });
    const ingest = await createIngestApp(config, { logger: pino({ level: "silent" }) });
    await ingest.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const url = `http://127.0.0.1:${(ingest.app.getHttpServer().address() as AddressInfo).port}`;
      const stream = new StreamClient(`${url}/v1/stream`);
      streams.push(stream);
      await stream.started();
      await waitFor(() => stream.lastId, { what: "the stream's position" });
      const start = stream.lastId as string;
      await send("outage-1", "prompt");
      await waitFor(() => stream.sessions.find((s) => s.id === "outage-1"), { what: "a change before" });

      relay.drop();
      await waitFor(() => stream.comments.find((c) => c.includes("unreachable")), { what: "the outage said" });
      for (let i = 0; i < 5; i++) await send(`outage-${i % 2}`, i % 2 ? "tool" : "prompt");
      await applied("outage-0", "active");
      await waitFor(async () => ((await entriesAfter(start)).length >= 4 ? true : undefined), {
        what: "changes during the outage",
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.ended).toBe(false);
      relay.restore();
      const expected = await entriesAfter(start);
      await waitFor(() => (stream.sessions.length >= expected.length ? true : undefined), {
        what: "the changes made during the outage",
        timeoutMs: 15_000,
      });
      expect(stream.sessions.map((s) => s.entry)).toEqual(expected);
      // No reset: the reader went on from where it was, nothing was lost.
      expect(stream.events.filter((e) => e.event === "reset")).toEqual([]);
    } finally {
      await ingest.close();
      await relay.close();
    }
  }, 40_000);
});

describe("GET /v1/stream with PULSE_TOKEN", () => {
  let secured: TestStack | null = null;
  beforeAll(async () => {
    secured = await startStack({ label: "streamtok", workers: false, env: { PULSE_TOKEN: "stream-token-123" } });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it("needs the token, and ends its streams when ingest stops", async () => {
    if (!secured) throw new Error("no stack");
    const refused = new StreamClient(`${secured.url}/v1/stream`);
    streams.push(refused);
    await refused.started();
    expect(refused.status).toBe(401);
    const wrong = new StreamClient(`${secured.url}/v1/stream`, { authorization: "Bearer nope-nope-nope" });
    streams.push(wrong);
    expect((await wrong.started()).status).toBe(401);

    const allowed = new StreamClient(`${secured.url}/v1/stream`, { authorization: "Bearer stream-token-123" });
    streams.push(allowed);
    expect((await allowed.started()).status).toBe(200);
    await waitFor(() => allowed.lastId, { what: "the stream's position" });
    const stopping = Date.now();
    const stack = secured;
    secured = null;
    await stack.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    await waitFor(() => (allowed.ended ? true : undefined), { what: "the stream's end" });
  });
});
