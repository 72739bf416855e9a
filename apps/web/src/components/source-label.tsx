import { sourceLabel } from "@/lib/labels";

/** Which agent a session comes from: a small glyph in the agent's colour and its name. */
export function SourceLabel({ source }: { source: string }) {
  const known = ["claude-code", "codex", "gemini"].includes(source) ? source : "other";
  return (
    <span className={`source source-${known}`}>
      <span className="source-glyph" aria-hidden="true">
        {known === "claude-code" ? "✳" : known === "codex" ? "◎" : known === "gemini" ? "✦" : "●"}
      </span>
      {sourceLabel(source)}
    </span>
  );
}
