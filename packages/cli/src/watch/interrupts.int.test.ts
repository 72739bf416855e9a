import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startStack, type TestStack } from "../../../../test/stack";
import { waitFor } from "../../../../test/env";
import { assertBuilt, fixture, Sandbox } from "../test-support/cli-process";
import { DummyAgent } from "../test-support/dummy-agent";
import { getJson } from "../test-support/ingest-control";

/**
 * Turns Claude Code ends with no hook (Esc, a declined permission): the watcher reads what Claude Code
 * writes locally. A dummy agent plays Claude Code: it runs the real hooks and appends to its transcript
 * the very lines Claude Code 2.1.197 wrote (testdata/), with this test's session id and times.
 */
let stack: TestStack;
let sandbox: Sandbox;
const agents: DummyAgent[] = [];
let n = 0;

const CAPTURED_SESSION = "f83c3a4a-0bac-472e-b56c-6579bbab9be0";
const captured = readFileSync(join(__dirname, "testdata/claude-code-2.1.197-interrupts.jsonl"), "utf8").split("\n").filter(Boolean);
/** The captured lines of one moment, by a piece of their text. */
const linesAround = (marker: string, before: number) => {
  const i = captured.findIndex((l) => l.includes(marker));
  return captured.slice(i - before, i + 1);
};
const ESC_DURING_TOOL = linesAround('"interruptedMessageId":"msg_3"', 1); // tool_result "User rejected tool use", then the marker
const ESC_WHILE_STREAMING = linesAround('"text":"[Request interrupted by user]"', 1); // synthetic assistant, then the marker
const PROMPT = captured.find((l) => l.includes('"content":"tool:sleep 30"'))!;

beforeAll(async () => {
  assertBuilt();
  stack = await startStack({ label: "cliinterrupt" });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  sandbox = new Sandbox();
});
afterEach(() => {
  for (const agent of agents.splice(0)) if (agent.process.exitCode === null && agent.process.signalCode === null) agent.kill();
  sandbox.cleanup();
});

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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A captured line as this test's session would have written it now. */
function replay(line: string, id: string, time = Date.now()): string {
  const entry = JSON.parse(line.replaceAll(CAPTURED_SESSION, id));
  if (typeof entry.timestamp === "string") entry.timestamp = new Date(time).toISOString();
  return JSON.stringify(entry) + "\n";
}

async function startSession(id: string) {
  const transcript = join(sandbox.root, "projects", `${id}.jsonl`);
  mkdirSync(join(sandbox.root, "projects"), { recursive: true });
  const agent = new DummyAgent(sandbox.root, sandbox.env({ PULSE_URL: stack.url }));
  agents.push(agent);
  const hook = (name: string) => agent.hook({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: id, transcript_path: transcript, cwd: sandbox.root });
  expect(await hook("session-start")).toBe("done 0");
  // The turn starts as Claude Code's would: its prompt in the transcript, then the hooks. (Each hook
  // makes sure a watcher runs: on a loaded machine the first may have been cut short by its 1 s limit.)
  appendFileSync(transcript, replay(PROMPT, id));
  await hook("user-prompt-submit");
  await hook("pre-tool-use");
  const watcher = await waitFor(() => sandbox.watcherRecords().find((r) => r.session_id === id && alive(r.watcher_pid)), { what: "the watcher" });
  await waitFor(async () => ((await session(id))?.status === "active" ? true : undefined), { what: "the session to be working" });
  return { agent, watcher, transcript, hook };
}

async function waitingInterrupted(id: string, timeoutMs = 2000) {
  return waitFor(async () => {
    const s = await session(id);
    return s?.status === "waiting" && s.waiting_reason === "interrupted" ? s : undefined;
  }, { timeoutMs, intervalMs: 20, what: "waiting·interrupted" });
}

describe("turns that end with no hook (Claude Code)", () => {
  it("Esc during a tool: waiting·interrupted within 2 s, at the transcript entry's time, reported once", async () => {
    const id = `int-tool-${++n}`;
    const { transcript, hook } = await startSession(id);
    const at = Date.now();
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id, at));
    const s = await waitingInterrupted(id);
    const latency = Date.now() - at;
    process.stdout.write(`Esc (transcript line) → waiting·interrupted in ${latency} ms\n`);
    expect(latency).toBeLessThan(2000);
    const event = s.events.find((e: any) => e.name === "watcher.interrupted");
    expect(event).toMatchObject({ kind: "attention", detail: "Request interrupted by user for tool use" });
    expect(Date.parse(event.time)).toBe(new Date(at).getTime());
    // The next prompt's hook says the user is back: working again, and the interrupt is not re-sent.
    await hook("user-prompt-submit");
    await waitFor(async () => ((await session(id))?.status === "active" ? true : undefined), { what: "working again" });
    await sleep(1200);
    const after = await session(id);
    expect(after.status).toBe("active");
    expect(after.events.filter((e: any) => e.name === "watcher.interrupted")).toHaveLength(1);
  });

  it("Esc while the model streams, written in two pieces: nothing until the line is whole", async () => {
    const id = `int-stream-${++n}`;
    const { transcript } = await startSession(id);
    const [assistant, marker] = ESC_WHILE_STREAMING.map((l) => replay(l, id));
    appendFileSync(transcript, assistant + marker.slice(0, 80));
    await sleep(1200);
    expect((await session(id)).status).toBe("active");
    const at = Date.now();
    appendFileSync(transcript, marker.slice(80));
    await waitingInterrupted(id);
    expect(Date.now() - at).toBeLessThan(2000);
  });

  it("the same words typed as a prompt, garbage, a huge line and a 10 MiB tool output change nothing; a marker after them still counts", async () => {
    const id = `int-junk-${++n}`;
    const { transcript, watcher } = await startSession(id);
    appendFileSync(transcript, replay(PROMPT.replace("tool:sleep 30", "[Request interrupted by user]"), id));
    appendFileSync(transcript, "not json [Request interrupted by user]\n\u0000\u0001binary\n{\"type\":\"user\"\n");
    appendFileSync(transcript, "x".repeat(2 << 20) + "[Request interrupted by user]" + "\n");
    const output = JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "tool_result", content: "y".repeat(1000) }] } }) + "\n";
    appendFileSync(transcript, output.repeat(10_000));
    await sleep(1500);
    expect((await session(id)).status).toBe("active");
    expect(alive(watcher.watcher_pid)).toBe(true);
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${watcher.watcher_pid}/status`, "utf8"))![1]);
    expect(rss).toBeLessThan(100 * 1024); // bounded reads: no 10 MiB in memory
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id));
    await waitingInterrupted(id);
  });

  it("a replaced transcript is read from its start; what was there before the watch began is not news", async () => {
    const id = `int-rotate-${++n}`;
    const transcript = join(sandbox.root, `${id}.jsonl`);
    // A resumed session: an old interrupt is already in the transcript when the watch begins.
    writeFileSync(transcript, ESC_DURING_TOOL.map((l) => replay(l, id, Date.now() - 60_000)).join(""));
    const agent = new DummyAgent(sandbox.root, sandbox.env({ PULSE_URL: stack.url }));
    agents.push(agent);
    const hook = (name: string) => agent.hook({ ...JSON.parse(fixture(`claude-code/${name}.json`)), session_id: id, transcript_path: transcript });
    await hook("session-start");
    await waitFor(() => sandbox.watcherRecords().find((r) => r.session_id === id && alive(r.watcher_pid)), { what: "the watcher" });
    await hook("user-prompt-submit");
    await sleep(1200);
    expect((await session(id)).status).toBe("active");
    const fresh = `${transcript}.new`;
    writeFileSync(fresh, [PROMPT, ...ESC_WHILE_STREAMING].map((l) => replay(l, id)).join(""));
    renameSync(fresh, transcript);
    await waitingInterrupted(id);
  });

  it("Claude Code's session file vetoes an interrupt when it says the process is busy again since", async () => {
    const id = `int-veto-${++n}`;
    const { transcript, agent } = await startSession(id);
    // ~/.claude/sessions/<pid>.json as 2.1.197 writes it, for this process (procStart = its start time).
    const procStart = readFileSync(`/proc/${agent.pid}/stat`, "utf8").split(") ")[1].split(" ")[19];
    const at = Date.now();
    mkdirSync(join(sandbox.home, ".claude", "sessions"), { recursive: true });
    writeFileSync(join(sandbox.home, ".claude", "sessions", `${agent.pid}.json`), JSON.stringify({ pid: agent.pid, sessionId: id, cwd: sandbox.root, procStart, version: "2.1.197", kind: "interactive", status: "busy", updatedAt: at + 50, statusUpdatedAt: at + 50 }));
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id, at));
    await sleep(1500);
    const s = await session(id);
    expect(s.status).toBe("active");
    expect(s.events.some((e: any) => e.name === "watcher.interrupted")).toBe(false);
  });

  it("after SessionEnd the transcript is no longer read", async () => {
    const id = `int-ended-${++n}`;
    const { transcript, hook, watcher } = await startSession(id);
    await hook("session-end");
    await waitFor(() => !alive(watcher.watcher_pid), { what: "the watcher to stop" });
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id));
    await sleep(1200);
    expect(await session(id)).toMatchObject({ status: "ended", end_reason: "session_end" });
  });
});
