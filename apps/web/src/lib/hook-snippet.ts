import { AGENTS } from "@pulse/core/agents";

/** The adapter whose hooks the setup snippet installs (the events and route are its own). */
const CLAUDE_CODE = AGENTS["claude-code"];

/**
 * The `hooks` block for ~/.claude/settings.json that sends every hook's input to this Pulse: the
 * events `pulse hooks install` installs, from Claude Code's adapter (packages/core/src/agents). No
 * matcher, as `pulse hooks install` writes it: Claude Code then runs the hook for every tool,
 * notification type and source. curl gives up after 2 s and never fails the hook, so a stopped Pulse
 * never slows Claude Code down. With a token, the hook reads it from the PULSE_TOKEN variable of the
 * shell that starts Claude Code.
 */
export function claudeCodeHookSettings(ingestUrl: string, withToken: boolean): string {
  const auth = withToken ? ` -H "Authorization: Bearer $PULSE_TOKEN"` : "";
  const command = `curl -sS -m 2 -X POST -H 'Content-Type: application/json'${auth} --data-binary @- ${ingestUrl}${CLAUDE_CODE.hookRoute} >/dev/null 2>&1 || true`;
  const hooks = Object.fromEntries(
    CLAUDE_CODE.hookEvents.map((event) => [event, [{ hooks: [{ type: "command", command }] }]]),
  );
  return JSON.stringify({ hooks }, null, 2);
}
