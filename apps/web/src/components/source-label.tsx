import { agentById } from "@pulse/core/agents";
import { sourceLabel } from "@/lib/labels";

/** Each known agent's glyph; its colour is `.source-<id>` in globals.css. A new agent without one gets the plain dot. */
const GLYPHS: Record<string, string> = { "claude-code": "✳", codex: "◎", gemini: "✦" };

/** Which agent a session comes from: a small glyph in the agent's colour and its name (from its adapter). */
export function SourceLabel({ source }: { source: string }) {
  const known = agentById(source) ? source : "other";
  return (
    <span className={`source source-${known}`}>
      <span className="source-glyph" aria-hidden="true">
        {GLYPHS[known] ?? "●"}
      </span>
      {sourceLabel(source)}
    </span>
  );
}
