// Lifecycle rule 14 end to end (real ingest, queue, worker, Postgres), with the payloads Claude Code
// 2.1.197 sent: a wait's start, what it is for, and the time spent waiting on the user, per session
// and per day, whatever order the events arrive in.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./env";
import { client } from "./http";
import { startStack, type TestStack } from "./stack";

const FIXTURES = join(__dirname, "fixtures/real/claude-code-2.1.197/hooks");
const hook = (name: string, session: string) => ({
  ...JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")),
  session_id: session,
});

let stack: TestStack;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  stack = await startStack({ label: "waits", env: { SESSION_STALE_TIMEOUT_MINUTES: "100000" } });
  api = client(stack.url);
});
afterAll(() => stack.stop());

const T0 = Date.now() - 60_000;
const send = (name: string, session: string, atMs: number) =>
  api.post("/v1/hooks/claude-code", hook(name, session), { "x-pulse-event-time": new Date(atMs).toISOString() });
const session = async (id: string) => (await api.get(`/v1/sessions/${id}`)).body;

/** A permission dialog open from +2 s (PermissionRequest), its Notification 6 s later, answered at +12 s. */
const DIALOG: Array<[string, number]> = [
  ["SessionStart-startup", 0],
  ["UserPromptSubmit", 500],
  ["PreToolUse-Bash", 1_900],
  ["PermissionRequest-Bash", 2_000],
  ["Notification-permission_prompt", 8_000],
  ["PostToolUse-Bash", 12_000],
];

describe("waits (lifecycle rule 14)", () => {
  it("a permission dialog: its wait starts at the PermissionRequest, says the command, and its Notification goes on with it", async () => {
    for (const [name, offset] of DIALOG.slice(0, 5))
      expect((await send(name, "wait-open", T0 + offset)).status).toBe(202);
    const waiting = await waitFor(
      async () => {
        const s = await session("wait-open");
        return s?.event_count === 5 ? s : undefined;
      },
      { what: "five events applied" },
    );
    expect(waiting).toMatchObject({
      status: "waiting",
      waiting_reason: "permission",
      waiting_since: new Date(T0 + 2_000).toISOString(),
      waiting_detail: expect.stringMatching(/^Bash: mkdir -p \/home\/dev\/work\/permdir-/),
      waited_ms: 0,
    });
  });

  it("the answered dialog adds its length to waited_ms and to the day's waiting time, in any arrival order", async () => {
    const reversed = [...DIALOG].reverse();
    for (const [name, offset] of reversed) expect((await send(name, "wait-answered", T0 + offset)).status).toBe(202);
    const answered = await waitFor(
      async () => {
        const s = await session("wait-answered");
        return s?.event_count === DIALOG.length ? s : undefined;
      },
      { what: "the whole dialog applied" },
    );
    expect(answered).toMatchObject({ status: "active", waiting_since: null, waiting_detail: null, waited_ms: 10_000 });
    const daily = await api.get("/v1/stats/daily?days=2&tz=UTC");
    const today = daily.body.days.find((d: { date: string }) => d.date === new Date(T0).toISOString().slice(0, 10));
    expect(today.waiting_ms).toBeGreaterThanOrEqual(10_000);
  });
});
