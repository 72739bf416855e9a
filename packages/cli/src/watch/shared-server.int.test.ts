import { join } from "node:path";
import { waitFor } from "../../../../test/env";
import { fixture } from "../test-support/cli-process";
import { DummyCodex } from "../test-support/dummy-codex";
import { alive, useWatchFixture, type WatcherRecord } from "../test-support/watch-fixture";

/**
 * Codex's interactive mode: every TUI's hooks run in one shared `codex app-server` that outlives them
 * (dummy-codex.ts plays it). The watcher must watch each session's TUI, never the server nor the TUI
 * that happened to start it.
 */
const fx = useWatchFixture({ label: "clicodexsrv" });
const { session } = fx;
/** The shared servers the first TUIs started (killed after each test by the fixture). */
const servers: number[] = [];
afterEach(() => {
  servers.splice(0);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sessionStart = (id: string, cwd: string) => ({
  ...JSON.parse(fixture("codex/hook-session-start.json")),
  session_id: id,
  cwd,
});

/** A TUI in `cwd` (the first one starts the shared server), connected and ready. */
async function startTui(cwd: string, options: { startsServer?: boolean; program?: string } = {}) {
  const tui = fx.track(
    new DummyCodex(
      fx.sandbox.root,
      join(fx.sandbox.root, "app-server.sock"),
      cwd,
      fx.sandbox.env({ PULSE_URL: fx.stack.url }),
      options,
    ),
  );
  for (;;) {
    const line = await tui.next();
    if (line.startsWith("server ")) {
      servers.push(Number(line.slice(7)));
      fx.trackPid(servers.at(-1)!);
    }
    if (line === "connected") return tui;
  }
}

async function watched(id: string) {
  return fx.watcherFor(id, (r: WatcherRecord) => r.agent_pid !== servers[0]);
}

async function ended(id: string, timeoutMs: number) {
  return waitFor(
    async () => {
      const s = await session(id);
      return s?.status === "ended" ? s : undefined;
    },
    { timeoutMs, intervalMs: 20, what: `${id} to end` },
  );
}

describe("Codex TUIs sharing one app-server", () => {
  it("watches each session's TUI: kill -9 of one ends only its session, /quit of the server's parent ends its own, the server survives, no watcher stays", async () => {
    const [a, b] = [fx.id("codex-a"), fx.id("codex-b")];
    const first = await startTui(join(fx.sandbox.root, "proj-a"), { startsServer: true });
    const second = await startTui(join(fx.sandbox.root, "proj-b"));
    expect(await first.hook(sessionStart(a, join(fx.sandbox.root, "proj-a")))).toBe("done 0");
    expect(await second.hook(sessionStart(b, join(fx.sandbox.root, "proj-b")))).toBe("done 0");
    const [wa, wb] = [await watched(a), await watched(b)];
    expect(wa.agent_pid).toBe(first.pid); // not the server, which the first TUI started
    expect(wb.agent_pid).toBe(second.pid); // not the first TUI, the server's parent
    await waitFor(async () => ((await session(b)) ? true : undefined), { what: "session b" });

    const killedAt = Date.now();
    second.kill("SIGKILL");
    const endB = await ended(b, 5000);
    process.stdout.write(`Codex-like TUI kill -9 → ended in ${Date.now() - killedAt} ms\n`);
    expect(endB).toMatchObject({ end_reason: "process_exit", end_detail: `agent process ${second.pid} (node) exited` });
    await sleep(700);
    expect((await session(a)).status).not.toBe("ended");

    const quitAt = Date.now();
    first.quit();
    const endA = await ended(a, 2000);
    process.stdout.write(`Codex-like TUI /quit → ended in ${Date.now() - quitAt} ms\n`);
    expect(endA.end_reason).toBe("process_exit");
    expect(alive(servers[0])).toBe(true); // the shared server outlives its TUIs…
    // …and no watcher stays behind for it.
    await waitFor(
      () => (!alive(wa.watcher_pid) && !alive(wb.watcher_pid) && fx.sandbox.watcherRecords().length === 0) || undefined,
      { timeoutMs: 3000, what: "the watchers to leave" },
    );
  });

  it("two TUIs in one directory cannot be told apart: the session ends when both are gone, never while its TUI may live", async () => {
    const id = fx.id("codex-same");
    const dir = join(fx.sandbox.root, "proj");
    const first = await startTui(dir, { startsServer: true });
    const second = await startTui(dir);
    await second.hook(sessionStart(id, dir));
    const record = await watched(id);
    expect([...(record.agent_pids ?? [])].sort()).toEqual([first.pid, second.pid].sort());
    first.kill("SIGKILL");
    await sleep(1500);
    expect((await session(id)).status).not.toBe("ended");
    second.quit();
    const s = await ended(id, 3000);
    expect(s.end_reason).toBe("process_exit");
    expect(s.end_detail).toMatch(
      /^agent processes \d+, \d+ \(node; which one was the session's could not be told\) all exited$/,
    );
  });

  it("a session none of whose server's clients is a TUI (an IDE drives it) is left to the timeout, and later hooks start no watcher", async () => {
    const id = fx.id("codex-ide");
    const dir = join(fx.sandbox.root, "proj");
    await startTui(dir, { startsServer: true }).then((tui) => tui.quit());
    const ide = await startTui(dir, { program: "ide" });
    expect(await ide.hook(sessionStart(id, dir))).toBe("done 0");
    const marked = await waitFor(
      () => fx.sandbox.watcherRecords().find((r: any) => r.session_id === id && r.unwatched) as any,
      { what: "the session marked unwatched" },
    );
    await waitFor(() => !alive(marked.watcher_pid) || undefined, { what: "its watcher to leave" });
    expect(await ide.hook({ ...sessionStart(id, dir), hook_event_name: "UserPromptSubmit", prompt: "hi" })).toBe(
      "done 0",
    );
    await sleep(500);
    expect(fx.sandbox.watcherRecords().filter((r) => r.session_id === id)).toEqual([
      expect.objectContaining({ watcher_pid: marked.watcher_pid }),
    ]);
    expect((await session(id)).status).not.toBe("ended");
  });
});
