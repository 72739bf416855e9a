// Hook inputs are the agent's (or anyone's) JSON: a name that is a property of every object
// ("constructor", "__proto__", "toString") must be looked up as a name like any other. A Claude Code
// Notification with notification_type "constructor" found Object itself and failed the request (500).
import { normalizedEventSchema } from "../event";
import { buildEvent } from "../normalize";
import { AGENT_IDS, agentById } from "./index";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__"];

describe.each(AGENT_IDS)("%s hooks named like Object's properties", (id) => {
  const agent = agentById(id)!;
  it.each(NAMES)("%s: an unknown hook event and notification type, stored as bookkeeping", (name) => {
    for (const hook of [
      { session_id: "s", hook_event_name: name },
      { session_id: "s", hook_event_name: "Notification", notification_type: name, message: "m" },
    ]) {
      const mapped = agent.mapHook(hook);
      expect(mapped).toMatchObject({ kind: "activity", signal: "bookkeeping", waiting_reason: null });
      const event = buildEvent(
        { session_id: "s", source: id, cwd: null },
        mapped!,
        { key: "k", receivedMs: Date.UTC(2026, 11, 1), host: null },
        hook,
      );
      expect(normalizedEventSchema.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
    }
  });
});
