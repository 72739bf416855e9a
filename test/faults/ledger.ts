import type { PrismaClient } from "@pulse/db";

/**
 * What a fault test sent and what ingest answered, checked against what Postgres holds: the figures
 * the note reports (sent / accepted / applied / lost / doubled / 5xx).
 */
export class Ledger {
  sent = 0;
  readonly accepted = new Set<string>();
  readonly statuses = new Map<number | "no answer", number>();
  /** 503 answers that said when to retry. */
  retryAfter = 0;

  /** Posts one event (`id` is its idempotency key) to /v1/events; a 202 means accepted. */
  async post(
    url: string,
    event: { session_id: string; id: string; kind?: string; time?: number; [k: string]: unknown },
  ): Promise<number | "no answer"> {
    this.sent += 1;
    let status: number | "no answer";
    try {
      const reply = await fetch(`${url}/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ source: "fault-test", kind: "tool", ...event }),
        signal: AbortSignal.timeout(15_000),
      });
      await reply.arrayBuffer();
      status = reply.status;
      if (status === 503 && reply.headers.get("retry-after")) this.retryAfter += 1;
    } catch {
      status = "no answer";
    }
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status === 202) this.accepted.add(`${event.session_id}\u0000${event.id}`);
    return status;
  }

  count(status: number | "no answer"): number {
    return this.statuses.get(status) ?? 0;
  }

  fiveHundreds(): number {
    return [...this.statuses]
      .filter(([s]) => typeof s === "number" && s >= 500 && s !== 503)
      .reduce((n, [, c]) => n + c, 0);
  }

  /** Events of `sessions` stored in Postgres, and how many of the accepted ones are among them. */
  async figures(prisma: PrismaClient, sessionPrefix: string) {
    const rows = await prisma.event.findMany({
      where: { sessionId: { startsWith: sessionPrefix } },
      select: { sessionId: true, key: true },
    });
    const stored = new Set(rows.map((r) => `${r.sessionId}\u0000${r.key}`));
    const applied = [...this.accepted].filter((k) => stored.has(k)).length;
    const counted =
      (await prisma.session.aggregate({ where: { id: { startsWith: sessionPrefix } }, _sum: { eventCount: true } }))
        ._sum.eventCount ?? 0;
    return {
      sent: this.sent,
      accepted: this.accepted.size,
      applied,
      lost: this.accepted.size - applied,
      // An event counted in its session more often than it is stored.
      doubled: counted - rows.length,
      stored: rows.length,
      "503": this.count(503),
      "503_with_retry_after": this.retryAfter,
      other_5xx: this.fiveHundreds(),
      no_answer: this.count("no answer"),
    };
  }
}

/** Runs `task` for each item, at most `width` at a time. */
export async function inParallel<T>(
  items: T[],
  width: number,
  task: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}
