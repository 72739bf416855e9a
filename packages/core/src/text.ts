/** Small text helpers shared by the source mappings and the lifecycle. */

/** Collapses whitespace and cuts to `max` characters (code points), marking the cut with "…". */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join("") + "…";
}

/** Like oneLine, but null for anything that is not a non-blank string. */
export function optionalLine(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const line = oneLine(value, max);
  return line === "" ? null : line;
}

/** The last segment of a path (POSIX or Windows): the project a working directory belongs to. */
export function projectFromCwd(cwd: string | null | undefined): string | null {
  if (!cwd) return null;
  const parts = cwd.split(/[\\/]+/).filter((p) => p !== "");
  const last = parts[parts.length - 1];
  if (!last || /^[A-Za-z]:$/.test(last)) return null;
  return last.slice(0, 200);
}
