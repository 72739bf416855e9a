/**
 * When a rule is worth running on a string: a cheap necessary condition of everything it finds.
 * Running every rule's regex over every string would cost more than ingest spends on a whole request,
 * so a string is first searched once for every rule's literals together, and only the rules whose
 * literals occur in it run.
 */
export interface Trigger {
  /** Literals, case-sensitive: the rule may fire when any occurs. */
  needles?: readonly string[];
  /** Literals, case-insensitive. */
  words?: readonly string[];
  /** Checked once a literal occurs, to rule out the common case (a URL without a password for `://`). */
  confirm?: RegExp;
}

/**
 * Finds which of many triggered things a string sets off, in two regex passes whatever their number
 * (one for the case-sensitive literals, one for the others: a single regex spelling letters as
 * `[tT]` classes measured twice as slow).
 */
export class TriggerIndex<T> {
  private readonly byNeedle = new Map<string, T[]>();
  private readonly byWord = new Map<string, T[]>();
  private readonly always: T[] = [];
  private readonly confirms = new Map<T, RegExp>();
  private readonly needleRe: RegExp | null;
  private readonly wordRe: RegExp | null;

  /** `trigger: null` fires on every string. */
  constructor(entries: readonly { trigger: Trigger | null; value: T }[]) {
    for (const { trigger, value } of entries) {
      if (trigger === null || (!trigger.needles?.length && !trigger.words?.length)) {
        this.always.push(value);
        continue;
      }
      for (const needle of trigger.needles ?? []) push(this.byNeedle, needle, value);
      for (const word of trigger.words ?? []) push(this.byWord, word.toLowerCase(), value);
      if (trigger.confirm) this.confirms.set(value, trigger.confirm);
    }
    this.needleRe = alternation([...this.byNeedle.keys()], "g");
    this.wordRe = alternation([...this.byWord.keys()], "gi");
  }

  /** Everything `text` triggers (nothing allocated when that is nothing, the common case). */
  match(text: string): ReadonlySet<T> {
    let fired: Set<T> | null = this.always.length > 0 ? new Set(this.always) : null;
    if (this.needleRe) fired = collect(this.needleRe, this.byNeedle, text, fired, false);
    if (this.wordRe) fired = collect(this.wordRe, this.byWord, text, fired, true);
    if (fired === null) return NOTHING;
    for (const [value, confirm] of this.confirms) if (fired.has(value) && !confirm.test(text)) fired.delete(value);
    return fired;
  }
}

const NOTHING: ReadonlySet<never> = new Set();

function collect<T>(
  re: RegExp,
  map: Map<string, T[]>,
  text: string,
  fired: Set<T> | null,
  lower: boolean,
): Set<T> | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    fired ??= new Set();
    // The regex takes the longest literal at a position; the shorter ones starting there are its prefixes.
    const found = lower ? m[0].toLowerCase() : m[0];
    for (let length = 1; length <= found.length; length++) {
      for (const value of map.get(found.slice(0, length)) ?? []) fired.add(value);
    }
    // Literals may overlap (`xoxb-` inside `…xoxb-`): look again from the next character.
    re.lastIndex = m.index + 1;
  }
  return fired;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Longest first, so that at any position the regex takes the longest literal there. */
function alternation(literals: string[], flags: string): RegExp | null {
  if (literals.length === 0) return null;
  const sorted = [...literals].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"), flags);
}
