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

/** Finds which of many triggered things a string sets off, in one regex pass whatever their number. */
export class TriggerIndex<T> {
  private readonly byNeedle = new Map<string, T[]>();
  private readonly byWord = new Map<string, T[]>();
  private readonly always: T[] = [];
  private readonly confirms = new Map<T, RegExp>();
  private readonly re: RegExp | null;
  private readonly longest: number;

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
    const literals = [...[...this.byNeedle.keys()].map((l) => ({ l, caseless: false })), ...[...this.byWord.keys()].map((l) => ({ l, caseless: true }))];
    // Longest first: at any position the regex takes the longest literal there, and every shorter one
    // starting there is a prefix of what it took (checked in `match`).
    literals.sort((a, b) => b.l.length - a.l.length);
    this.re = literals.length > 0 ? new RegExp(literals.map(({ l, caseless }) => pattern(l, caseless)).join("|"), "g") : null;
    this.longest = Math.max(0, ...literals.map(({ l }) => l.length));
  }

  /** Everything `text` triggers (nothing allocated when that is nothing, the common case). */
  match(text: string): ReadonlySet<T> {
    let fired: Set<T> | null = this.always.length > 0 ? new Set(this.always) : null;
    const re = this.re;
    if (re) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        fired ??= new Set();
        const found = m[0];
        const lower = found.toLowerCase();
        for (let length = 1; length <= Math.min(found.length, this.longest); length++) {
          for (const value of this.byNeedle.get(found.slice(0, length)) ?? []) fired.add(value);
          for (const value of this.byWord.get(lower.slice(0, length)) ?? []) fired.add(value);
        }
        // Literals may overlap (`xoxb-` inside `…xoxb-`): look again from the next character.
        re.lastIndex = m.index + 1;
      }
    }
    if (fired === null) return NOTHING;
    for (const [value, confirm] of this.confirms) if (fired.has(value) && !confirm.test(text)) fired.delete(value);
    return fired;
  }
}

const NOTHING: ReadonlySet<never> = new Set();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A literal as regex source; case-insensitive ones spell each letter as a class (one regex serves both kinds). */
function pattern(literal: string, caseless: boolean): string {
  return [...literal]
    .map((c) => {
      if (caseless && c.toLowerCase() !== c.toUpperCase()) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
      return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
    })
    .join("");
}
