import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, Sandbox } from "../test-support/cli-process";
import { DummyAgent } from "../test-support/dummy-agent";
import { closeRestartedIngests, getJson, restartIngest } from "../test-support/ingest-control";

let stack: TestStack;
let sandbox: Sandbox;
const agents: DummyAgent[] = [];
let n = 0;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "cliwatch" });
});
afterAll(async () => {
  await closeRestartedIngests();
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => {
  for (const agent of agents.splice(0)) if (agent.process.exitCode === null && agent.process.signalCode === null) agent.kill();
  sandbox.cleanup();
});

function startAgent(): DummyAgent {
  const agent = new DummyAgent(sandbox.root, sandbox.env({ PULSE_URL: stack.url }));
  agents.push(agent);
  return agent;
}

const payload = (name: string, sessionId: string) => ({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: sessionId });
const session = async (id: string) => {
  const r = await getJson(stack.url, `/v1/sessions/${id}`);
  return r.status === 200 ? r.body : undefined;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function watcherFor(sessionId: string) {
  return waitFor(() => sandbox.watcherRecords().find((r) => r.session_id === sessionId && alive(r.watcher_pid)), { what: `a watcher for ${sessionId}` });
}

describe("process-exit detection", () => {
  it("ends a session with process_exit within 5 s of the agent being killed with SIGKILL", async () => {
    const id = `watch-kill-${++n}`;
    const agent = startAgent();
    expect(await agent.hook(payload("session-start", id))).toBe("done 0");
    const watcher = await watcherFor(id);
    expect(watcher.agent_pid).toBe(agent.pid); // the rule found the agent above `sh -c`
    await waitFor(() => session(id), { what: "the session" });

    const killedAt = Date.now();
    agent.kill("SIGKILL");
    const ended = await waitFor(async () => {
      const s = await session(id);
      return s?.status === "ended" ? s : undefined;
    }, { timeoutMs: 5000, intervalMs: 20, what: "the session to end" });
    const latency = Date.now() - killedAt;
    expect(ended).toMatchObject({ end_reason: "process_exit", end_detail: `agent process ${agent.pid} (node) exited` });
    expect(Date.parse(ended.ended_at)).toBeGreaterThanOrEqual(killedAt);
    expect(latency).toBeLessThan(5000);
    process.stdout.write(`kill -9 → session ended in ${latency} ms\n`);
    // The watcher leaves with the session.
    await waitFor(() => !alive(watcher.watcher_pid) && sandbox.watcherRecords().length === 0, { what: "the watcher to exit" });
  });

  it("keeps one watcher per session however many hooks run", async () => {
    const id = `watch-one-${++n}`;
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    const first = await watcherFor(id);
    await Promise.all([agent.hook(payload("user-prompt-submit", id)), agent.hook(payload("pre-tool-use", id)), agent.hook(payload("post-tool-use", id))]);
    await agent.hook(payload("session-start", id)); // e.g. SessionStart "compact" or "resume"
    expect(sandbox.watcherRecords()).toEqual([expect.objectContaining({ session_id: id, watcher_pid: first.watcher_pid })]);
  });

  it("stops quietly after SessionEnd: a later exit of the process does not change the end", async () => {
    const id = `watch-end-${++n}`;
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    const watcher = await watcherFor(id);
    await agent.hook(payload("session-end", id));
    await waitFor(() => !alive(watcher.watcher_pid), { what: "the watcher to stop" });
    agent.kill("SIGKILL");
    const ended = await waitFor(async () => {
      const s = await session(id);
      return s?.status === "ended" ? s : undefined;
    }, { what: "the session to end" });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await session(id)).toMatchObject({ status: "ended", end_reason: "session_end", end_detail: "prompt_input_exit", ended_at: ended.ended_at });
  });

  it("/clear: ends the old session, watches the new one (linked to the old) on the same process", async () => {
    const old = `watch-clear-a-${++n}`;
    const fresh = `watch-clear-b-${n}`;
    const agent = startAgent();
    await agent.hook(payload("session-start", old));
    const oldWatcher = await watcherFor(old);
    await agent.hook(payload("session-end-clear", old));
    await agent.hook(payload("session-start-after-clear", fresh));
    const newWatcher = await watcherFor(fresh);
    await waitFor(() => !alive(oldWatcher.watcher_pid), { what: "the old session's watcher to stop" });
    expect(newWatcher.agent_pid).toBe(agent.pid);

    const linked = await waitFor(async () => {
      const s = await session(fresh);
      return s?.parent_session_id ? s : undefined;
    }, { what: "the new session to be linked" });
    expect(linked.parent_session_id).toBe(old);
    expect(await session(old)).toMatchObject({ status: "ended", end_reason: "session_end", end_detail: "clear" });

    agent.kill("SIGKILL");
    await waitFor(async () => (await session(fresh))?.end_reason === "process_exit", { timeoutMs: 5000, what: "the new session to end by process exit" });
    expect((await session(old)).end_reason).toBe("session_end");
  });

  it("delivers the process-exit end after an ingest outage (it waits in the spool)", async () => {
    const id = `watch-outage-${++n}`;
    const agent = startAgent();
    await agent.hook(payload("session-start", id));
    await watcherFor(id);
    await waitFor(() => session(id), { what: "the session" });
    await stack.ingest.close();
    const killedAt = Date.now();
    try {
      agent.kill("SIGKILL");
      await waitFor(() => sandbox.spoolFiles().length === 1, { what: "the end event in the spool" });
    } finally {
      await restartIngest(stack);
    }
    const ended = await waitFor(async () => {
      const s = await session(id);
      return s?.status === "ended" ? s : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100, what: "the session to end once ingest is back" });
    expect(ended.end_reason).toBe("process_exit");
    // Ended when the process was found gone, not when the event could be delivered.
    expect(Date.parse(ended.ended_at) - killedAt).toBeLessThan(1500);
    expect(sandbox.spoolFiles()).toEqual([]);
  });
});
