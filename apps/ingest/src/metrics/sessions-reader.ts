import type { PrismaClient } from "@pulse/db";

/** Open sessions grouped by what the metrics label them with. */
export interface OpenSessionGroup {
  status: string;
  agent: string;
  /** Null unless waiting. */
  reason: string | null;
  count: number;
  /** Start of the group's oldest wait (epoch ms), waiting groups only. */
  oldestWaitMs: number | null;
}

export interface EndedGroup {
  agent: string;
  endReason: string | null;
  count: number;
}

/** How far back ended sessions are counted: all of them would grow with the retention, without an index. */
export const ENDED_WINDOW_MS = 24 * 3_600_000;

/**
 * One statement over the partial index on live sessions (`status <> 'ended'`): its cost follows the
 * open sessions, not the table, however many ended sessions the retention keeps.
 */
export async function readOpenSessions(prisma: PrismaClient): Promise<OpenSessionGroup[]> {
  const rows = await prisma.$queryRaw<
    Array<{ status: string; source: string; waiting_reason: string | null; n: number; oldest: number | null }>
  >`
    SELECT status, source, waiting_reason, count(*)::int AS n,
           (extract(epoch FROM min(coalesce(waiting_since, status_at))) * 1000)::float8 AS oldest
    FROM sessions WHERE status <> 'ended'
    GROUP BY status, source, waiting_reason`;
  return rows.map((r) => ({
    status: r.status,
    agent: r.source,
    reason: r.status === "waiting" ? r.waiting_reason : null,
    count: r.n,
    oldestWaitMs: r.status === "waiting" && r.oldest !== null ? Number(r.oldest) : null,
  }));
}

/** Sessions ended since `sinceMs` (their end's event time) by agent and end reason. */
export async function readEndedSince(prisma: PrismaClient, sinceMs: number): Promise<EndedGroup[]> {
  const rows = await prisma.$queryRaw<Array<{ source: string; end_reason: string | null; n: number }>>`
    SELECT source, end_reason, count(*)::int AS n
    FROM sessions WHERE status = 'ended' AND ended_at >= ${new Date(sinceMs)}
    GROUP BY source, end_reason`;
  return rows.map((r) => ({ agent: r.source, endReason: r.end_reason, count: r.n }));
}
