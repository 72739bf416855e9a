/** Claude Code hook events Pulse understands; each is posted as it happens. */
const CLAUDE_CODE_EVENTS = ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Notification", "Stop", "SubagentStop", "PreCompact", "SessionEnd"];

/** Tool events take a matcher; "*" means every tool. */
const TOOL_EVENTS = new Set(["PreToolUse", "PostToolUse"]);

/**
 * The `hooks` block for ~/.claude/settings.json that sends every hook's input to this Pulse. curl
 * gives up after 2 s and never fails the hook, so a stopped Pulse never slows Claude Code down.
 * With a token, the hook reads it from the PULSE_TOKEN variable of the shell that starts Claude Code.
 */
export function claudeCodeHookSettings(ingestUrl: string, withToken: boolean): string {
  const auth = withToken ? ` -H "Authorization: Bearer $PULSE_TOKEN"` : "";
  const command = `curl -sS -m 2 -X POST -H 'Content-Type: application/json'${auth} --data-binary @- ${ingestUrl}/v1/hooks/claude-code >/dev/null 2>&1 || true`;
  const hooks = Object.fromEntries(
    CLAUDE_CODE_EVENTS.map((event) => [event, [{ ...(TOOL_EVENTS.has(event) ? { matcher: "*" } : {}), hooks: [{ type: "command", command }] }]]),
  );
  return JSON.stringify({ hooks }, null, 2);
}
