import type { FuzzReply } from "./send";

interface Group {
  sent: number;
  byClass: Record<string, number>;
  ms: number[];
}

/** What the fuzzers sent and got, per route group: for the assertions' messages and the issue's note. */
export class FuzzFigures {
  private readonly groups = new Map<string, Group>();
  /** Answers that broke a promise (5xx, no answer, too slow), with the request that got them. */
  readonly failures: string[] = [];

  record(group: string, reply: FuzzReply): void {
    const g = this.groups.get(group) ?? { sent: 0, byClass: {}, ms: [] };
    this.groups.set(group, g);
    g.sent++;
    const cls = reply.timedOut ? "hang" : reply.status === 0 ? "closed" : `${Math.floor(reply.status / 100)}xx`;
    g.byClass[cls] = (g.byClass[cls] ?? 0) + 1;
    g.ms.push(reply.ms);
  }

  get total(): number {
    return [...this.groups.values()].reduce((n, g) => n + g.sent, 0);
  }

  count(cls: string): number {
    return [...this.groups.values()].reduce((n, g) => n + (g.byClass[cls] ?? 0), 0);
  }

  /** One line per group: sent, answers by status class, p50/p99/max latency. */
  table(title: string): string {
    const pct = (sorted: number[], p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
    const lines = [`${title}`, "group              sent  answers                              p50 ms  p99 ms  max ms"];
    const all: number[] = [];
    for (const [name, g] of [...this.groups.entries()].sort()) {
      const sorted = g.ms.slice().sort((a, b) => a - b);
      all.push(...sorted);
      const answers = Object.entries(g.byClass)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      lines.push(
        `${name.padEnd(18)} ${String(g.sent).padStart(5)}  ${answers.padEnd(36)} ${pct(sorted, 50).toFixed(1).padStart(6)}  ${pct(sorted, 99).toFixed(1).padStart(6)}  ${(sorted.at(-1) ?? 0).toFixed(1).padStart(6)}`,
      );
    }
    all.sort((a, b) => a - b);
    lines.push(
      `${"all".padEnd(18)} ${String(all.length).padStart(5)}  ${"".padEnd(36)} ${pct(all, 50).toFixed(1).padStart(6)}  ${pct(all, 99).toFixed(1).padStart(6)}  ${(all.at(-1) ?? 0).toFixed(1).padStart(6)}`,
    );
    return lines.join("\n");
  }
}
