import type { SessionJson } from "@pulse/core";
import { inboxEntries, nextSettleAt, placeWaiting, waitKey } from "./inbox";

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function session(id: string, fields: Partial<SessionJson> = {}): SessionJson {
  return {
    id,
    source: "claude-code",
    project: "acme",
    host: "dev",
    status: "waiting",
    waiting_reason: "permission",
    waiting_since: at(0),
    waiting_detail: "Bash: npm test",
    last_event_at: at(0),
    ...fields,
  } as SessionJson;
}

describe("inbox", () => {
  it("lists waits on the user, oldest first, once they have lasted the settle time", () => {
    const sessions = [
      session("newer", { waiting_since: at(10) }),
      session("older", { waiting_since: at(2), waiting_reason: "question" }),
      session("settling", { waiting_since: at(18) }),
      session("turn-ended", { waiting_reason: "turn_end" }),
      session("idle", { waiting_reason: "idle" }),
      session("working", { status: "active", waiting_reason: null, waiting_since: null }),
      session("error", { waiting_since: at(5), waiting_reason: "error" }),
    ];
    expect(inboxEntries(sessions, T0 + 20_000, 5).map((s) => s.id)).toEqual(["older", "error", "newer"]);
    // Settle 0: every wait on the user at once.
    expect(inboxEntries(sessions, T0 + 20_000, 0).map((s) => s.id)).toEqual(["older", "error", "newer", "settling"]);
  });

  it("says when the next settling wait is due", () => {
    const sessions = [session("a", { waiting_since: at(18) }), session("b", { waiting_since: at(16) })];
    expect(nextSettleAt(sessions, T0 + 20_000, 5)).toBe(T0 + 21_000);
    expect(nextSettleAt(sessions, T0 + 30_000, 5)).toBeNull();
    expect(nextSettleAt([session("t", { waiting_reason: "turn_end" })], T0, 5)).toBeNull();
  });

  it("keeps the waiting sessions current from live changes", () => {
    const a = session("a");
    const list = [a];
    expect(placeWaiting(list, session("b"))).toHaveLength(2);
    const replaced = placeWaiting(list, session("a", { waiting_reason: "question" }));
    expect(replaced[0].waiting_reason).toBe("question");
    expect(placeWaiting(list, session("a", { status: "active" }))).toEqual([]);
    // Not there and not waiting: nothing changes.
    expect(placeWaiting(list, session("c", { status: "ended" }))).toBe(list);
  });

  it("names a wait by its session and start", () => {
    expect(waitKey(session("s1", { waiting_since: at(3) }))).toBe(`s1@${at(3)}`);
  });
});
