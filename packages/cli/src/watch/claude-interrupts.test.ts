import { readFileSync } from "node:fs";
import { join } from "node:path";
import { interruptIn, sessionFileAllows } from "./claude-interrupts";

/** What Claude Code 2.1.197 wrote (home paths rewritten): a normal turn, then Esc during `sleep 30`, a
 * normal turn, Esc while the model streamed, "No" at a permission dialog, Esc at a permission dialog. */
const transcript = readFileSync(join(__dirname, "testdata/claude-code-2.1.197-interrupts.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean);
const sessionStates = readFileSync(join(__dirname, "testdata/claude-code-2.1.197-session-file-states.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const SESSION = "f83c3a4a-0bac-472e-b56c-6579bbab9be0";

describe("interruptIn (Claude Code 2.1.197 transcripts)", () => {
  it("finds exactly the four interrupts of the captured session, with their uuid, time and text", () => {
    const found = transcript.map((line) => interruptIn(line, SESSION)).filter((i) => i !== null);
    expect(found).toEqual([
      {
        uuid: "3b6171e3-da04-4c3e-bd16-99363f1dfdc5",
        time: Date.parse("2026-12-01T23:33:14.348Z"),
        text: "Request interrupted by user for tool use",
      },
      {
        uuid: "35d41e47-ed68-4ec9-b2f7-7439a44577ef",
        time: Date.parse("2026-12-01T23:33:46.689Z"),
        text: "Request interrupted by user",
      },
      {
        uuid: "dfa3a921-f498-4322-b301-2eefca2a23e5",
        time: Date.parse("2026-12-01T23:34:01.355Z"),
        text: "Request interrupted by user for tool use",
      },
      {
        uuid: "4659437a-960d-488f-9172-d3c208cf4fe6",
        time: Date.parse("2026-12-01T23:41:12.707Z"),
        text: "Request interrupted by user for tool use",
      },
    ]);
  });

  const marker = JSON.parse(transcript.find((l) => l.includes('"text":"[Request interrupted by user]"'))!);
  const variant = (change: (entry: any) => void) => {
    const entry = structuredClone(marker);
    change(entry);
    return JSON.stringify(entry);
  };

  it("is not fooled by the same words typed as a prompt, a subagent's line, a meta line or another session", () => {
    const typed = transcript.find((l) => l.includes('"content":"hello there"'))!;
    expect(interruptIn(typed.replace('"hello there"', '"[Request interrupted by user]"'), SESSION)).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.isSidechain = true)),
        SESSION,
      ),
    ).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.isMeta = true)),
        SESSION,
      ),
    ).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.origin = { kind: "human" })),
        SESSION,
      ),
    ).toBeNull();
    expect(interruptIn(marker && JSON.stringify(marker), "another-session")).toBeNull();
    expect(
      interruptIn(
        variant((e) => e.message.content.push({ type: "text", text: "more" })),
        SESSION,
      ),
    ).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.message.content[0].text = "[Request interrupted by user] and then some")),
        SESSION,
      ),
    ).toBeNull();
  });

  it("reads defensively: not JSON, a partial line, odd shapes, an unsafe or missing uuid → nothing", () => {
    const line = JSON.stringify(marker);
    for (const bad of [
      "",
      "{",
      line.slice(0, line.length / 2),
      "null",
      "[]",
      '"text"',
      "42",
      '{"type":"user","message":null}',
      '{"type":"user","message":{"content":"x"}}',
    ]) {
      expect(interruptIn(bad, SESSION)).toBeNull();
    }
    expect(
      interruptIn(
        variant((e) => delete e.uuid),
        SESSION,
      ),
    ).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.uuid = "a\nb")),
        SESSION,
      ),
    ).toBeNull();
    expect(
      interruptIn(
        variant((e) => (e.uuid = "x".repeat(300))),
        SESSION,
      ),
    ).toBeNull();
  });

  it("keeps an interrupt whose timestamp is unreadable, with no time (the watcher uses when it saw it)", () => {
    expect(
      interruptIn(
        variant((e) => (e.timestamp = "yesterday")),
        SESSION,
      ),
    ).toMatchObject({ uuid: marker.uuid, time: null });
    expect(
      interruptIn(
        variant((e) => delete e.timestamp),
        SESSION,
      ),
    ).toMatchObject({ time: null });
  });
});

describe("sessionFileAllows (~/.claude/sessions/<pid>.json of 2.1.197)", () => {
  const interrupt = { uuid: "u", time: 1796168026689, text: "Request interrupted by user" };
  const idleAfter = sessionStates.find((s) => s.status === "idle" && s.statusUpdatedAt === 1796168026701);
  const busyBefore = sessionStates.find((s) => s.status === "busy" && s.statusUpdatedAt === 1796168023639);
  const busyAfter = sessionStates.find((s) => s.status === "busy" && s.statusUpdatedAt === 1796168033510);

  it("lets it stand when the process went idle with it, or was busy only before it", () => {
    expect(sessionFileAllows(idleAfter, interrupt, SESSION, "122197")).toBe(true);
    expect(sessionFileAllows(busyBefore, interrupt, SESSION, "122197")).toBe(true);
  });

  it("vetoes it when the process is busy again since, or runs another session now", () => {
    expect(sessionFileAllows(busyAfter, interrupt, SESSION, "122197")).toBe(false);
    expect(sessionFileAllows(idleAfter, interrupt, "another-session", "122197")).toBe(false);
  });

  it("says nothing when absent, of another shape, or of an earlier process with the same pid", () => {
    for (const file of [null, undefined, "idle", 42, [], {}, { status: "busy" }])
      expect(sessionFileAllows(file, interrupt, SESSION, "122197")).toBe(true);
    expect(sessionFileAllows(busyAfter, interrupt, SESSION, "999")).toBe(true);
  });
});
