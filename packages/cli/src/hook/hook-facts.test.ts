import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CODEX_TITLE_PROMPT_START, HOOK_AGENTS } from "./hook-facts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, "../../../../test/fixtures/codex", name), "utf8"));
const ignored = (payload: Record<string, unknown>) => HOOK_AGENTS.codex.ignore?.(payload) ?? false;

describe("the hook drops what is not a user's session", () => {
  it("Codex's title generator: its own notify (real 0.171 payload), not the real turn's", () => {
    expect(ignored(fixture("notify-title-thread.json"))).toBe(true);
    expect(ignored(fixture("notify-agent-turn-complete.json"))).toBe(false);
  });

  it("a person's prompt that only starts like the generator's is kept (the generator also quotes the user's prompt)", () => {
    const turn = fixture("notify-agent-turn-complete.json");
    expect(ignored({ ...turn, "input-messages": [`${CODEX_TITLE_PROMPT_START} for my PR`] })).toBe(false);
    expect(
      ignored({
        ...turn,
        "input-messages": ["earlier prompt", fixture("notify-title-thread.json")["input-messages"][0]],
      }),
    ).toBe(false);
    // Hook payloads (not notify) are never dropped.
    expect(
      ignored({
        hook_event_name: "UserPromptSubmit",
        session_id: "s",
        prompt: fixture("notify-title-thread.json")["input-messages"][0],
      }),
    ).toBe(false);
  });

  it("other agents drop nothing", () => {
    expect(HOOK_AGENTS["claude-code"].ignore).toBeUndefined();
    expect(HOOK_AGENTS.gemini.ignore).toBeUndefined();
  });
});
