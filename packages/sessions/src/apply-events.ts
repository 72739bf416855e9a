import {
  applyEvent,
  compareEvents,
  extendsHistory,
  foldHistory,
  isClearBoundary,
  newSession,
  type NormalizedEvent,
  type SessionState,
  usdToMicros,
} from "@pulse/core";
import { lifecycleColumn, loadHistories, toHistoryEvent } from "./history";
import { linkClearedSessions } from "./link-cleared";
import { pgJson } from "./pg-json";
import { Prisma, type PrismaClient } from "@pulse/db";
import { selectSessions, writeSessions } from "./rows";
import { withDeadlockRetry } from "./retry";

export interface ApplyResult {
  /** Events stored and applied for the first time. */
  applied: number;
  /** Events already stored (same session and key): ignored. */
  duplicates: number;
  /** Sessions as they are after the batch; each one changed. */
  sessions: SessionState[];
}

/** Keeps the first of each (session, key) and groups by session. */
function groupNewKeys(events: NormalizedEvent[]): Map<string, NormalizedEvent[]> {
  const seen = new Set<string>();
  const bySession = new Map<string, NormalizedEvent[]>();
  for (const event of events) {
    const id = `${event.session_id}\u0000${event.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const list = bySession.get(event.session_id);
    if (list) list.push(event);
    else bySession.set(event.session_id, [event]);
  }
  return bySession;
}

/**
 * Applies a batch of events in one transaction with a fixed number of statements, whatever the batch
 * size: lock the sessions (creating missing ones), store the events (duplicates skipped by the
 * unique (session_id, key)), fold the new ones into each session with the lifecycle rules, write the
 * sessions back.
 *
 * Sessions are locked in id order before any event is inserted, so concurrent batches (several
 * workers) serialise per session without deadlocking on each other's event keys, and the reaper
 * (which skips locked rows) never ends a session while its newer events are being applied.
 */
export async function applyEventBatch(prisma: PrismaClient, events: NormalizedEvent[]): Promise<ApplyResult> {
  // Proof of life (lifecycle rule 7) is folded in but never stored as an event (one per session every
  // few seconds would be most of the table) and never creates a session: the newest one is all that
  // counts, so keeping the newest per session is idempotent by itself.
  const aliveBySession = new Map<string, NormalizedEvent>();
  const stored: NormalizedEvent[] = [];
  for (const event of events) {
    if (event.kind !== "alive") stored.push(event);
    else if (!aliveBySession.has(event.session_id) || aliveBySession.get(event.session_id)!.time < event.time)
      aliveBySession.set(event.session_id, event);
  }
  const bySession = groupNewKeys(stored);
  const sessionIds = [...new Set([...bySession.keys(), ...aliveBySession.keys()])].sort();
  if (sessionIds.length === 0) return { applied: 0, duplicates: 0, sessions: [] };
  const unique = [...bySession.keys()].sort().flatMap((id) => bySession.get(id)!);
  const placeholders = [...bySession.keys()].sort().map((id) => ({ id, source: bySession.get(id)![0].source }));
  // Positional rows (see rows.ts): the columns of the INSERT below, in order.
  const eventRows = unique.map((e) => [
    e.session_id,
    e.key,
    e.source,
    e.kind,
    e.signal,
    e.name,
    e.time,
    e.received_at,
    e.tool,
    e.detail,
    e.payload ?? null,
    e.payload_truncated,
    e.usage?.input_tokens ?? null,
    e.usage?.output_tokens ?? null,
    e.usage?.cache_read_tokens ?? null,
    e.usage?.cache_creation_tokens ?? null,
    e.usage?.cost_usd == null ? null : usdToMicros(e.usage.cost_usd),
    e.usage?.model ?? null,
    e.usage?.estimated_cost_usd == null ? null : usdToMicros(e.usage.estimated_cost_usd),
    lifecycleColumn(e),
  ]);

  // The two sides of a /clear (old session's end, new session's start) land within milliseconds, in
  // different batches: batches touching a /clear in the same cwd take turns, so whichever commits
  // second sees the other and links them.
  const clearCwds = [...new Set(unique.filter((e) => isClearBoundary(e) && e.cwd).map((e) => e.cwd!))].sort();

  return withDeadlockRetry(() =>
    prisma.$transaction(
      async (tx) => {
        if (clearCwds.length > 0) {
          await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(hashtext('pulse:clear:' || c))) FROM unnest(${clearCwds}::text[]) AS c`;
        }
        await tx.$executeRaw`
          INSERT INTO sessions (id, source)
          SELECT p.id, p.source FROM jsonb_to_recordset(${pgJson(placeholders)}::jsonb) AS p(id text, source text)
          ORDER BY p.id
          ON CONFLICT (id) DO NOTHING`;
        const locked = await selectSessions(
          tx,
          Prisma.sql`SELECT * FROM sessions WHERE id = ANY(${sessionIds}::text[]) ORDER BY id FOR UPDATE`,
        );
        const [{ rows: insertedJson }] = await tx.$queryRaw<Array<{ rows: string }>>`
          WITH inserted AS (
            INSERT INTO events (session_id, key, source, kind, signal, name, time, received_at, tool, detail, payload, payload_truncated,
              input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_micros, model, estimated_cost_micros, lifecycle)
            SELECT r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, (r->>6)::timestamptz, (r->>7)::timestamptz, r->>8, r->>9, r->10, (r->>11)::boolean,
              (r->>12)::int, (r->>13)::int, (r->>14)::int, (r->>15)::int, (r->>16)::bigint, r->>17, (r->>18)::bigint, r->19
            FROM jsonb_array_elements(${pgJson(eventRows)}::jsonb) WITH ORDINALITY AS input(r, ord)
            ORDER BY ord
            ON CONFLICT (session_id, key) DO NOTHING
            RETURNING session_id, key
          )
          SELECT coalesce(json_agg(json_build_array(session_id, key)), '[]')::text AS rows FROM inserted`;
        const inserted = JSON.parse(insertedJson) as Array<[string, string]>;

        const isNew = new Set(inserted.map(([sessionId, key]) => `${sessionId}\u0000${key}`));
        const current = new Map(locked.map((session) => [session.id, session]));
        const freshBySession = new Map(
          sessionIds.map((id) => [
            id,
            (bySession.get(id) ?? []).filter((e) => isNew.has(`${id}\u0000${e.key}`)).map(toHistoryEvent),
          ]),
        );
        // Rule 13: a session gets an event older than what it has seen (a spool delivered late, a
        // retried job): its state is its whole history folded again, so it does not depend on the
        // order events arrived in. One statement for all such sessions of the batch.
        const late = sessionIds.filter((id) => {
          const before = current.get(id);
          const fresh = freshBySession.get(id)!;
          return before !== undefined && before.eventCount > 0 && fresh.length > 0 && !extendsHistory(before, fresh);
        });
        const histories = await loadHistories(tx, late);
        const changed: SessionState[] = [];
        for (const id of sessionIds) {
          const fresh = freshBySession.get(id)!;
          const alive = aliveBySession.get(id);
          const before = current.get(id);
          // Proof of life for a session Pulse has no event of is dropped: it never creates one.
          if (fresh.length === 0 && !(alive && before)) continue;
          const history = histories.get(id);
          let after: SessionState;
          if (history && before) {
            after = foldHistory(id, before.source, history, {
              aliveAt: before.aliveAt,
              parentSessionId: before.parentSessionId,
            });
          } else {
            // In time order (ties by kind, then key): the same as folding the whole history.
            after = [...fresh].sort(compareEvents).reduce(applyEvent, before ?? newSession(id, fresh[0].source));
          }
          if (alive && before) after = applyEvent(after, toHistoryEvent(alive));
          // An older proof of life than one already seen changes nothing: nothing to write or announce.
          if (before && fresh.length === 0 && after.aliveAt === before.aliveAt) continue;
          changed.push(after);
        }
        await writeSessions(tx, changed);
        const linked = await linkClearedSessions(tx, changed);
        const sessions = [...changed.filter((s) => !linked.has(s.id)), ...linked.values()];
        return { applied: inserted.length, duplicates: stored.length - inserted.length, sessions };
      },
      { maxWait: 10_000, timeout: 60_000 },
    ),
  );
}
