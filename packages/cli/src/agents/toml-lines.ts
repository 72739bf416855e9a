/**
 * Just enough TOML structure to edit one top-level key without a TOML library (the CLI has no
 * dependencies): which lines start at the top level (outside multi-line strings and arrays), where
 * the first table header is, and where a top-level key's value ends.
 */
export interface TomlLines {
  lines: string[];
  /** Line i starts outside any multi-line value. */
  topLevel: boolean[];
  /** Index of the first `[table]` / `[[array]]` header line; lines.length when there is none. */
  firstTable: number;
}

export function scanToml(text: string): TomlLines {
  const lines = text.split("\n");
  const topLevel: boolean[] = [];
  let firstTable = lines.length;
  let depth = 0;
  let multi: '"""' | "'''" | null = null;
  lines.forEach((line, index) => {
    const starts = depth === 0 && multi === null;
    topLevel.push(starts);
    if (starts && /^\s*\[/.test(line)) {
      if (firstTable === lines.length) firstTable = index;
      return; // a header: its brackets are not a value
    }
    for (let i = 0; i < line.length; i++) {
      if (multi) {
        const end = line.indexOf(multi, i);
        if (end < 0) break;
        i = end + 2;
        multi = null;
        continue;
      }
      const c = line[i];
      if (c === "#") break;
      if (c === '"' || c === "'") {
        if (line.startsWith(c.repeat(3), i)) {
          multi = c === '"' ? '"""' : "'''";
          i += 2;
          continue;
        }
        // A one-line string: skip to its closing quote (backslash escapes only in "basic" strings).
        for (i++; i < line.length && line[i] !== c; i++) if (c === '"' && line[i] === "\\") i++;
        continue;
      }
      if (c === "[" || c === "{") depth++;
      else if ((c === "]" || c === "}") && depth > 0) depth--;
    }
  });
  return { lines, topLevel, firstTable };
}

/** The lines [start, end] of a top-level key's `key = value` (before any table), or null. */
export function findTopLevelKey(toml: TomlLines, key: string): { start: number; end: number; text: string } | null {
  const pattern = new RegExp(`^\\s*(${key}|"${key}"|'${key}')\\s*=`);
  for (let i = 0; i < toml.firstTable; i++) {
    if (!toml.topLevel[i] || !pattern.test(toml.lines[i])) continue;
    let end = i;
    while (end + 1 < toml.lines.length && !toml.topLevel[end + 1]) end++;
    return { start: i, end, text: toml.lines.slice(i, end + 1).join("\n") };
  }
  return null;
}

/** `key = value` lines inside `[table]` (one-line values only), for reading simple switches. */
export function tableValue(toml: TomlLines, table: string, key: string): string | null {
  let inTable = false;
  for (let i = 0; i < toml.lines.length; i++) {
    const line = toml.lines[i];
    if (toml.topLevel[i] && /^\s*\[/.test(line)) {
      inTable = line.trim().replace(/\s+/g, "") === `[${table}]`;
      continue;
    }
    if (!inTable) continue;
    const match = new RegExp(`^\\s*${key}\\s*=\\s*([^#]*)`).exec(line);
    if (match) return match[1].trim();
  }
  return null;
}

/** A TOML basic string (JSON's escapes are valid TOML escapes). */
export const tomlString = (value: string): string => JSON.stringify(value);
