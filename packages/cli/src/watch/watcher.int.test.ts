import { waitFor } from "../../../../test/env";
import { alive, useWatchFixture } from "../test-support/watch-fixture";

const fx = useWatchFixture({ label: "cliwatch" });
const { payload, session, startAgent } = fx;
const watcherFor = (sessionId: string) => fx.watcherFor(sessionId);

describe("process-exit detection", () => {
  it("ends a session with process_exit within 5 s of the agent being killed with SIGKILL", async () => {
    const id = fx.id("watch-kill");
    const agent = startAgent();
    expect(await agent.hook(payload("session-start", id))).toBe("done 0");
    const watcher = await watcherFor(id);
    expect(watcher.agent_pid).toBe(agent.pid); // the rule found the agent above `sh -c`
    await waitFor(() => session(id), { what: "the session" });

    const killedAt = Date.now();
    agent.kill("SIGKILL");
    const ended = await waitFor(
      async () => {
        const s = await session(id);
        return s?.status === "ended" ? s : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20, what: "the session to end" },
    );
    const latency = Date.now() - killedAt;
    expect(ended).toMatchObject({ end_reason: "process_exit", end_detail: `agent process ${agent.pid} (node) exited` });
    expect(Date.parse(ended.ended_at)).toBeGreaterThanOrEqual(killedAt);
    expect(latency).toBeLessThan(5000);
    process.stdout.write(`kill -9 → session ended in ${latency} ms\n`);
    // The watcher leaves with the session.
    await waitFor(() => !alive(watcher.watcher_pid) && fx.sandbox.watcherRecords().length === 0, {
      what: "the watcher to exit",
    });
  });

  it("keeps one watcher per session however many hooks run", async () => {
    const id = fx.id("watch-one");
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    const first = await watcherFor(id);
    await Promise.all([
      agent.hook(payload("user-prompt-submit", id)),
      agent.hook(payload("pre-tool-use", id)),
      agent.hook(payload("post-tool-use", id)),
    ]);
    await agent.hook(payload("session-start", id)); // e.g. SessionStart "compact" or "resume"
    expect(fx.sandbox.watcherRecords()).toEqual([
      expect.objectContaining({ session_id: id, watcher_pid: first.watcher_pid }),
    ]);
  });

  it("stops quietly after SessionEnd: a later exit of the process does not change the end", async () => {
    const id = fx.id("watch-end");
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    const watcher = await watcherFor(id);
    await agent.hook(payload("session-end", id));
    await waitFor(() => !alive(watcher.watcher_pid), { what: "the watcher to stop" });
    agent.kill("SIGKILL");
    const ended = await waitFor(
      async () => {
        const s = await session(id);
        return s?.status === "ended" ? s : undefined;
      },
      { what: "the session to end" },
    );
    // The watcher is gone: only an event already queued could still change the session.
    await fx.eventsSettled();
    expect(await session(id)).toMatchObject({
      status: "ended",
      end_reason: "session_end",
      end_detail: "prompt_input_exit",
      ended_at: ended.ended_at,
    });
  });

  it("/clear: ends the old session, watches the new one (linked to the old) on the same process", async () => {
    const old = fx.id("watch-clear-a");
    const fresh = fx.id("watch-clear-b");
    const agent = startAgent();
    await agent.hook(payload("session-start", old));
    const oldWatcher = await watcherFor(old);
    await agent.hook(payload("session-end-clear", old));
    await agent.hook(payload("session-start-after-clear", fresh));
    const newWatcher = await watcherFor(fresh);
    await waitFor(() => !alive(oldWatcher.watcher_pid), { what: "the old session's watcher to stop" });
    expect(newWatcher.agent_pid).toBe(agent.pid);

    const linked = await waitFor(
      async () => {
        const s = await session(fresh);
        return s?.parent_session_id ? s : undefined;
      },
      { what: "the new session to be linked" },
    );
    expect(linked.parent_session_id).toBe(old);
    expect(await session(old)).toMatchObject({ status: "ended", end_reason: "session_end", end_detail: "clear" });

    agent.kill("SIGKILL");
    await waitFor(async () => (await session(fresh))?.end_reason === "process_exit", {
      timeoutMs: 5000,
      what: "the new session to end by process exit",
    });
    expect((await session(old)).end_reason).toBe("session_end");
  });

  it("delivers the process-exit end after an ingest outage (it waits in the spool)", async () => {
    const id = fx.id("watch-outage");
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    await watcherFor(id);
    await waitFor(() => session(id), { what: "the session" });
    await fx.stack.ingest.close();
    const killedAt = Date.now();
    try {
      agent.kill("SIGKILL");
      await waitFor(() => fx.sandbox.spoolFiles().length === 1, { what: "the end event in the spool" });
    } finally {
      await fx.restartIngest();
    }
    const ended = await waitFor(
      async () => {
        const s = await session(id);
        return s?.status === "ended" ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: "the session to end once ingest is back" },
    );
    expect(ended.end_reason).toBe("process_exit");
    // Ended when the process was found gone, not when the event could be delivered.
    expect(Date.parse(ended.ended_at) - killedAt).toBeLessThan(1500);
    expect(fx.sandbox.spoolFiles()).toEqual([]);
  });
});
