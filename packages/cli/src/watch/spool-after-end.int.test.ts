import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { waitFor } from "../../../../test/env";
import { alive, useWatchFixture } from "../test-support/watch-fixture";

/**
 * The spool is delivered even when the session's last hook ran while ingest was down or hanging: the
 * watcher outlives the session until it is (linger.ts).
 */
const fx = useWatchFixture({ label: "clilinger" });
const { payload, session } = fx;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * In front of ingest: forwards, or (hang) accepts connections and never answers, like an ingest whose
 * event loop is stuck. Tells how many requests reached it while hanging.
 */
async function startFront(target: string) {
  const upstream = new URL(target);
  let hanging = false;
  let hung = 0;
  const held = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (hanging) {
      hung += 1;
      held.add(req.socket);
      return; // never answers
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hang: (on: boolean) => {
      hanging = on;
      if (!on) for (const socket of held) socket.destroy();
    },
    get hung() {
      return hung;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startWatched(id: string, url: string, extraEnv: Record<string, string> = {}) {
  const agent = fx.startAgent(extraEnv, url);
  await agent.hook(payload("session-start", id));
  await agent.hook(payload("user-prompt-submit", id));
  const watcher = await fx.watcherFor(id);
  await waitFor(async () => ((await session(id))?.event_count === 2 ? true : undefined), {
    what: "the session's first events",
  });
  return { agent, watcher };
}

describe("the spool after the session's last hook", () => {
  it("/exit while ingest is down: the watcher stays, and once ingest is back the session ends session_end at its true time within 15 s", async () => {
    const id = fx.id("linger-exit");
    const { agent, watcher } = await startWatched(id, fx.stack.url);
    await fx.stack.ingest.close();
    let exitAt: number;
    try {
      exitAt = Date.now();
      expect(await agent.hook(payload("session-end", id))).toBe("done 0");
      expect(fx.sandbox.spoolFiles()).toHaveLength(1);
      await sleep(3000);
      // The session is over for the agent, its record is gone: the watcher stays for the spool.
      expect(fx.sandbox.watcherRecords()).toEqual([]);
      expect(alive(watcher.watcher_pid)).toBe(true);
    } finally {
      await fx.restartIngest();
    }
    const back = Date.now();
    const ended = await waitFor(
      async () => {
        const s = await session(id);
        return s?.status === "ended" ? s : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: "the session to end once ingest is back" },
    );
    const latency = Date.now() - back;
    process.stdout.write(`SessionEnd spooled during an outage → ended ${latency} ms after ingest is back\n`);
    expect(ended).toMatchObject({ end_reason: "session_end", end_detail: "prompt_input_exit" });
    expect(Date.parse(ended.ended_at)).toBeGreaterThanOrEqual(exitAt);
    expect(Date.parse(ended.ended_at)).toBeLessThan(exitAt + 1000);
    // Delivered: it leaves.
    await waitFor(() => !alive(watcher.watcher_pid), { timeoutMs: 3000, what: "the watcher to leave" });
    expect(fx.sandbox.spoolFiles()).toEqual([]);
  });

  it("ingest hanging: what the hooks only spooled is delivered by the watcher within seconds of ingest answering", async () => {
    const front = await startFront(fx.stack.url);
    try {
      const id = fx.id("linger-hang");
      const { agent, watcher } = await startWatched(id, front.url);
      front.hang(true);
      for (const name of ["pre-tool-use", "post-tool-use", "stop"])
        expect(await agent.hook(payload(name, id))).toBe("done 0");
      await waitFor(() => fx.sandbox.spoolFiles().length === 3 || undefined, {
        timeoutMs: 5000,
        what: "three spooled events",
      });
      // Deliveries reach the hanging ingest and are held (no answer, no crash).
      await waitFor(() => front.hung > 0 || undefined, {
        timeoutMs: 10_000,
        what: "a delivery held by the hanging ingest",
      });
      expect(alive(watcher.watcher_pid)).toBe(true);
      const answering = Date.now();
      front.hang(false);
      const s = await waitFor(
        async () => {
          const r = await session(id);
          return r?.event_count === 5 ? r : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100, what: "the three events" },
      );
      const latency = Date.now() - answering;
      process.stdout.write(`ingest answers again → spooled events applied in ${latency} ms\n`);
      expect(latency).toBeLessThan(8000);
      expect(s.status).toBe("waiting"); // the Stop, at its own time
      expect(fx.sandbox.spoolFiles()).toEqual([]);
    } finally {
      await front.close();
    }
  });

  it("two sessions ended during one outage: one watcher stays for the spool, the other leaves; both end once ingest is back", async () => {
    const ids = [fx.id("linger-two-a"), fx.id("linger-two-b")];
    const started: Array<Awaited<ReturnType<typeof startWatched>>> = [];
    for (const id of ids) started.push(await startWatched(id, fx.stack.url));
    await fx.stack.ingest.close();
    try {
      for (const [i, id] of ids.entries()) await started[i].agent.hook(payload("session-end", id));
      await waitFor(() => started.filter((s) => alive(s.watcher.watcher_pid)).length === 1 || undefined, {
        timeoutMs: 5000,
        what: "one watcher to stay",
      });
      await sleep(1000);
      expect(started.filter((s) => alive(s.watcher.watcher_pid))).toHaveLength(1);
    } finally {
      await fx.restartIngest();
    }
    for (const id of ids) {
      await waitFor(async () => ((await session(id))?.end_reason === "session_end" ? true : undefined), {
        timeoutMs: 15_000,
        what: `${id} to end`,
      });
    }
    await waitFor(() => started.every((s) => !alive(s.watcher.watcher_pid)) || undefined, {
      timeoutMs: 3000,
      what: "the last watcher to leave",
    });
  });

  it("stays no longer than its bound; the end then waits in the spool for the next hook", async () => {
    const id = fx.id("linger-bound");
    const { agent, watcher } = await startWatched(id, fx.stack.url, { PULSE_WATCH_LINGER_MS: "2000" });
    await fx.stack.ingest.close();
    try {
      await agent.hook(payload("session-end", id));
      await waitFor(() => !alive(watcher.watcher_pid) || undefined, {
        timeoutMs: 6000,
        what: "the watcher to give up",
      });
      expect(fx.sandbox.spoolFiles()).toHaveLength(1);
    } finally {
      await fx.restartIngest();
    }
    // Nothing was lost: the next hook of any session delivers it, with its time.
    const next = fx.startAgent({ PULSE_NO_WATCH: "1" });
    expect(await next.hook(payload("session-start", fx.id("linger-bound-next")))).toBe("done 0");
    await waitFor(async () => ((await session(id))?.end_reason === "session_end" ? true : undefined), {
      timeoutMs: 5000,
      what: "the end",
    });
  });
});
