import { CliError } from "../cli/errors";

/**
 * Hooks in a JSON settings file shaped like Claude Code's (and Gemini CLI's):
 *   { "hooks": { "<Event>": [ { "matcher"?: "…", "hooks": [ { "type": "command", "command": "…", … } ] } ] } }
 * Pulse's entries are recognised by their command (see isPulseCommand); everything else is foreign
 * and is never changed, reordered or removed.
 */
export type Settings = Record<string, unknown>;

export interface JsonHooksSpec {
  /** Where the file lives, for error messages. */
  file: string;
  events: readonly string[];
  /** The hook entry Pulse installs for an event. */
  entry(event: string): Record<string, unknown>;
  /** The matcher group's own fields besides `hooks` (e.g. a matcher), for an event. */
  group?(event: string): Record<string, unknown>;
}

/**
 * A command is Pulse's when it runs `pulse hook` (or `pulse.js hook`): the executable's name is
 * "pulse" or "pulse.js", possibly quoted or with a path, and its first argument is "hook".
 */
export function isPulseCommand(command: unknown): boolean {
  return typeof command === "string" && /(?:^|[\s"'/])pulse(?:\.js)?["']?\s+hook(?:\s|$)/.test(command);
}

type Group = { hooks?: unknown } & Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function hooksOf(settings: Settings, file: string): Record<string, unknown> | undefined {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isObject(hooks)) throw new CliError(`${file}: "hooks" is not an object; fix it by hand first`);
  return hooks;
}

function groupsOf(hooks: Record<string, unknown>, event: string, file: string): Group[] {
  const groups = hooks[event];
  if (groups === undefined) return [];
  if (!Array.isArray(groups)) throw new CliError(`${file}: "hooks.${event}" is not a list; fix it by hand first`);
  return groups as Group[];
}

const entriesOf = (group: Group): unknown[] => (Array.isArray(group?.hooks) ? group.hooks : []);
const isPulseEntry = (entry: unknown): boolean => isObject(entry) && isPulseCommand(entry.command);

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Removes Pulse's entries from an event's groups; groups (and the event) left empty by that go too. */
function withoutPulse(groups: Group[]): { groups: Group[]; removed: number } {
  let removed = 0;
  const kept: Group[] = [];
  for (const group of groups) {
    const entries = entriesOf(group);
    const foreign = entries.filter((entry) => !isPulseEntry(entry));
    removed += entries.length - foreign.length;
    if (foreign.length === entries.length) kept.push(group);
    else if (foreign.length > 0) kept.push({ ...group, hooks: foreign });
  }
  return { groups: kept, removed };
}

export interface MergeResult {
  settings: Settings;
  changed: boolean;
}

/**
 * Adds Pulse's hook for every event. Idempotent: when exactly Pulse's desired entry is there already,
 * nothing changes; an outdated Pulse entry (another path, another timeout) is replaced in place of
 * being duplicated.
 */
export function installJsonHooks(input: Settings, spec: JsonHooksSpec): MergeResult {
  const settings = structuredClone(input);
  const hooks = hooksOf(settings, spec.file) ?? {};
  let changed = false;
  for (const event of spec.events) {
    const groups = groupsOf(hooks, event, spec.file);
    const desired: Group = { ...(spec.group?.(event) ?? {}), hooks: [spec.entry(event)] };
    const pulseGroups = groups.filter((group) => entriesOf(group).some(isPulseEntry));
    const upToDate = pulseGroups.length === 1 && stableJson(pulseGroups[0]) === stableJson(desired);
    if (upToDate) continue;
    hooks[event] = [...withoutPulse(groups).groups, desired];
    changed = true;
  }
  if (changed) settings.hooks = hooks;
  return { settings: changed ? settings : input, changed };
}

/** Removes only Pulse's entries; keys Pulse emptied are removed, foreign ones stay as they were. */
export function uninstallJsonHooks(
  input: Settings,
  spec: Pick<JsonHooksSpec, "file">,
): MergeResult & { removed: number } {
  const settings = structuredClone(input);
  const hooks = hooksOf(settings, spec.file);
  if (!hooks) return { settings: input, changed: false, removed: 0 };
  let removed = 0;
  for (const event of Object.keys(hooks)) {
    if (!Array.isArray(hooks[event])) continue;
    const result = withoutPulse(hooks[event] as Group[]);
    if (result.removed === 0) continue;
    removed += result.removed;
    if (result.groups.length > 0) hooks[event] = result.groups;
    else delete hooks[event];
  }
  if (removed === 0) return { settings: input, changed: false, removed: 0 };
  if (Object.keys(hooks).length === 0) delete settings.hooks;
  return { settings, changed: true, removed };
}

export interface HooksStatus {
  /** Events with a Pulse hook. */
  installed: string[];
  /** Events of the spec without one. */
  missing: string[];
  /** Distinct Pulse commands found (more than one means an outdated install). */
  commands: string[];
  /** Hook entries that are not Pulse's. */
  foreign: number;
}

export function jsonHooksStatus(settings: Settings, spec: Pick<JsonHooksSpec, "file" | "events">): HooksStatus {
  const hooks = hooksOf(settings, spec.file) ?? {};
  const installed: string[] = [];
  const commands = new Set<string>();
  let foreign = 0;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    let has = false;
    for (const group of groups as Group[]) {
      for (const entry of entriesOf(group)) {
        if (isPulseEntry(entry)) {
          has = true;
          commands.add(String((entry as Record<string, unknown>).command));
        } else {
          foreign += 1;
        }
      }
    }
    if (has) installed.push(event);
  }
  // In the spec's order, so outputs are stable whatever order the file lists events in.
  const ordered = [
    ...spec.events.filter((e) => installed.includes(e)),
    ...installed.filter((e) => !spec.events.includes(e)),
  ];
  return {
    installed: ordered,
    missing: spec.events.filter((e) => !installed.includes(e)),
    commands: [...commands],
    foreign,
  };
}
