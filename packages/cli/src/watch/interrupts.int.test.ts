import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../../../../test/env";
import { alive, useWatchFixture } from "../test-support/watch-fixture";

/**
 * Turns Claude Code ends with no hook (Esc, a declined permission): the watcher reads what Claude Code
 * writes locally. A dummy agent plays Claude Code: it runs the real hooks and appends to its transcript
 * the very lines Claude Code 2.1.197 wrote (testdata/), with this test's session id and times.
 */
const fx = useWatchFixture({ label: "cliinterrupt" });
const { session } = fx;

const CAPTURED_SESSION = "f83c3a4a-0bac-472e-b56c-6579bbab9be0";
const captured = readFileSync(join(__dirname, "testdata/claude-code-2.1.197-interrupts.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean);
/** The captured lines of one moment, by a piece of their text. */
const linesAround = (marker: string, before: number) => {
  const i = captured.findIndex((l) => l.includes(marker));
  return captured.slice(i - before, i + 1);
};
const ESC_DURING_TOOL = linesAround('"interruptedMessageId":"msg_3"', 1); // tool_result "User rejected tool use", then the marker
const ESC_WHILE_STREAMING = linesAround('"text":"[Request interrupted by user]"', 1); // synthetic assistant, then the marker
const PROMPT = captured.find((l) => l.includes('"content":"tool:sleep 30"'))!;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The times of the watcher's interrupt reports the session has, oldest first. */
const interruptTimes = async (id: string): Promise<number[]> =>
  (await session(id)).events
    .filter((e: any) => e.name === "watcher.interrupted")
    .map((e: any) => Date.parse(e.time))
    .sort((a: number, b: number) => a - b);

/** A captured line as this test's session would have written it now. */
function replay(line: string, id: string, time = Date.now()): string {
  const entry = JSON.parse(line.replaceAll(CAPTURED_SESSION, id));
  if (typeof entry.timestamp === "string") entry.timestamp = new Date(time).toISOString();
  return JSON.stringify(entry) + "\n";
}

async function startSession(id: string) {
  const transcript = join(fx.sandbox.root, "projects", `${id}.jsonl`);
  mkdirSync(join(fx.sandbox.root, "projects"), { recursive: true });
  const agent = fx.startAgent();
  const hook = (name: string) =>
    agent.hook(fx.payload(name, id, { transcript_path: transcript, cwd: fx.sandbox.root }));
  expect(await hook("session-start")).toBe("done 0");
  // The turn starts as Claude Code's would: its prompt in the transcript, then the hooks. (Each hook
  // makes sure a watcher runs: on a loaded machine the first may have been cut short by its 1 s limit.)
  appendFileSync(transcript, replay(PROMPT, id));
  await hook("user-prompt-submit");
  await hook("pre-tool-use");
  const watcher = await fx.watcherFor(id);
  await waitFor(async () => ((await session(id))?.status === "active" ? true : undefined), {
    what: "the session to be working",
  });
  return { agent, watcher, transcript, hook };
}

async function waitingInterrupted(id: string, timeoutMs = 2000) {
  return waitFor(
    async () => {
      const s = await session(id);
      return s?.status === "waiting" && s.waiting_reason === "interrupted" ? s : undefined;
    },
    { timeoutMs, intervalMs: 20, what: "waiting·interrupted" },
  );
}

describe("turns that end with no hook (Claude Code)", () => {
  it("Esc during a tool: waiting·interrupted within 2 s, at the transcript entry's time, reported once", async () => {
    const id = fx.id("int-tool");
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
    // A later Esc as the marker: the watcher reads in order, so once it is reported, a re-sent
    // first interrupt would have been too.
    const later = Date.now();
    for (const line of ESC_WHILE_STREAMING) appendFileSync(transcript, replay(line, id, later));
    await waitingInterrupted(id);
    expect(await interruptTimes(id)).toEqual([new Date(at).getTime(), new Date(later).getTime()]);
  });

  it("Esc while the model streams, written in two pieces: nothing until the line is whole", async () => {
    const id = fx.id("int-stream");
    const { transcript } = await startSession(id);
    const [assistant, marker] = ESC_WHILE_STREAMING.map((l) => replay(l, id));
    appendFileSync(transcript, assistant + marker.slice(0, 80));
    // No marker can follow a half line: the watcher is given a few of its polls to (not) react.
    await sleep(1200);
    expect((await session(id)).status).toBe("active");
    const at = Date.now();
    appendFileSync(transcript, marker.slice(80));
    await waitingInterrupted(id);
    expect(Date.now() - at).toBeLessThan(2000);
  });

  it("the same words typed as a prompt, garbage, a huge line and a 10 MiB tool output change nothing; a marker after them still counts", async () => {
    const id = fx.id("int-junk");
    const { transcript, watcher } = await startSession(id);
    appendFileSync(transcript, replay(PROMPT.replace("tool:sleep 30", "[Request interrupted by user]"), id));
    appendFileSync(transcript, 'not json [Request interrupted by user]\n\u0000\u0001binary\n{"type":"user"\n');
    appendFileSync(transcript, "x".repeat(2 << 20) + "[Request interrupted by user]" + "\n");
    const output =
      JSON.stringify({
        type: "user",
        message: { role: "user", content: [{ type: "tool_result", content: "y".repeat(1000) }] },
      }) + "\n";
    appendFileSync(transcript, output.repeat(10_000));
    // The marker: the watcher reads in order, so once it is reported all of the above was read.
    const at = Date.now();
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id, at));
    await waitingInterrupted(id, 5000);
    expect(await interruptTimes(id)).toEqual([new Date(at).getTime()]);
    expect(alive(watcher.watcher_pid)).toBe(true);
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${watcher.watcher_pid}/status`, "utf8"))![1]);
    expect(rss).toBeLessThan(100 * 1024); // bounded reads: no 10 MiB in memory
  });

  it("a replaced transcript is read from its start; what was there before the watch began is not news", async () => {
    const id = fx.id("int-rotate");
    const transcript = join(fx.sandbox.root, `${id}.jsonl`);
    // A resumed session: an old interrupt is already in the transcript when the watch begins.
    writeFileSync(transcript, ESC_DURING_TOOL.map((l) => replay(l, id, Date.now() - 60_000)).join(""));
    const agent = fx.startAgent();
    const hook = (name: string) => agent.hook(fx.payload(name, id, { transcript_path: transcript }));
    await hook("session-start");
    await fx.watcherFor(id);
    await hook("user-prompt-submit");
    const fresh = `${transcript}.new`;
    const at = Date.now();
    writeFileSync(fresh, [PROMPT, ...ESC_WHILE_STREAMING].map((l) => replay(l, id, at)).join(""));
    renameSync(fresh, transcript);
    await waitingInterrupted(id);
    // Only the new file's interrupt was news, not the old one the transcript began with.
    expect(await interruptTimes(id)).toEqual([new Date(at).getTime()]);
  });

  it("Claude Code's session file vetoes an interrupt when it says the process is busy again since", async () => {
    const id = fx.id("int-veto");
    const { transcript, agent } = await startSession(id);
    // ~/.claude/sessions/<pid>.json as 2.1.197 writes it, for this process (procStart = its start time).
    const procStart = readFileSync(`/proc/${agent.pid}/stat`, "utf8").split(") ")[1].split(" ")[19];
    const at = Date.now();
    mkdirSync(join(fx.sandbox.home, ".claude", "sessions"), { recursive: true });
    writeFileSync(
      join(fx.sandbox.home, ".claude", "sessions", `${agent.pid}.json`),
      JSON.stringify({
        pid: agent.pid,
        sessionId: id,
        cwd: fx.sandbox.root,
        procStart,
        version: "2.1.197",
        kind: "interactive",
        status: "busy",
        updatedAt: at + 50,
        statusUpdatedAt: at + 50,
      }),
    );
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id, at));
    await sleep(1500);
    const s = await session(id);
    expect(s.status).toBe("active");
    expect(s.events.some((e: any) => e.name === "watcher.interrupted")).toBe(false);
  });

  it("after SessionEnd the transcript is no longer read", async () => {
    const id = fx.id("int-ended");
    const { transcript, hook, watcher } = await startSession(id);
    await hook("session-end");
    await waitFor(() => !alive(watcher.watcher_pid), { what: "the watcher to stop" });
    for (const line of ESC_DURING_TOOL) appendFileSync(transcript, replay(line, id));
    // The watcher is gone: only an event already queued could still change the session.
    await fx.eventsSettled();
    expect(await session(id)).toMatchObject({ status: "ended", end_reason: "session_end" });
  });
});
