import { AGENTS } from "@pulse/core/agents";
import { claudeCodeHookSettings } from "@/lib/hook-snippet";
import { CopyButton } from "./copy-button";

/** The agents `pulse hooks install --agent` also connects (from their adapters), Claude Code aside. */
const OTHER_AGENTS = Object.values(AGENTS).filter((a) => a.id !== "claude-code");

/** No session has ever arrived: how to point Claude Code (and the other agents Pulse knows) at this Pulse. */
export function EmptyState({ ingestUrl, withToken }: { ingestUrl: string; withToken: boolean }) {
  const settings = claudeCodeHookSettings(ingestUrl, withToken);
  return (
    <section className="empty" aria-labelledby="empty-heading" data-testid="empty-state">
      <h2 id="empty-heading">No sessions yet</h2>
      <p>
        Pulse shows a session as soon as an agent reports to <code>{ingestUrl}</code>. To connect Claude Code, merge
        this into <code>~/.claude/settings.json</code> (every project) or <code>.claude/settings.json</code> (one
        project), then start <code>claude</code>:
      </p>
      <div className="snippet">
        <div className="snippet-bar">
          <span>settings.json</span>
          <CopyButton text={settings} />
        </div>
        <pre tabIndex={0} aria-label="Claude Code hook settings">
          <code>{settings}</code>
        </pre>
      </div>
      <p>
        From a Pulse checkout you can let the <code>pulse</code> command do it instead (it also keeps events while Pulse
        is down): <code>PULSE_URL={ingestUrl} npx pulse hooks install</code>.
      </p>
      <p data-testid="other-agents">
        {OTHER_AGENTS.map((agent, i) => (
          <span key={agent.id}>
            {i > 0 ? (i === OTHER_AGENTS.length - 1 ? " and " : ", ") : ""}
            {agent.label}
          </span>
        ))}{" "}
        connect the same way:{" "}
        <code>
          PULSE_URL={ingestUrl} npx pulse hooks install --agent {OTHER_AGENTS.map((a) => a.id).join("|")}
        </code>
        .
      </p>
      {withToken ? (
        <p>
          This Pulse requires a token: export <code>PULSE_TOKEN</code> in the shell that starts Claude Code.
        </p>
      ) : null}
      <p className="muted">
        Each hook posts what Claude Code passes it and gives up after 2 s, so a stopped Pulse never slows Claude Code
        down. Try it without an agent:{" "}
        <code>
          curl -X POST {ingestUrl}/v1/events -H &apos;Content-Type: application/json&apos;
          {withToken ? ' -H "Authorization: Bearer $PULSE_TOKEN"' : ""} -d &apos;
          {`{"session_id":"hello","source":"curl","kind":"start","project":"demo"}`}&apos;
        </code>
      </p>
    </section>
  );
}
