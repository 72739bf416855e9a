import type { SessionState } from "@pulse/core";
import { Prisma, type PrismaClient } from "@pulse/db";
import { pgJson } from "./pg-json";

/** A client or an interactive transaction: the functions here work inside either. */
export type Db = PrismaClient | Prisma.TransactionClient;

type FieldKind = "text" | "int" | "bigint" | "time" | "bool";

interface Field {
  /** SessionState's (and the Prisma model's) name for it. */
  key: keyof SessionState;
  column: string;
  kind: FieldKind;
  /** Written by writeSessions; `parent_session_id` is written only by the /clear linking. */
  written: boolean;
}

const field = (key: keyof SessionState, column: string, kind: FieldKind, written = true): Field => ({
  key,
  column,
  kind,
  written,
});

/**
 * Every column of a session the lifecycle reads, in one order used both ways. Rows cross the wire as
 * positional JSON arrays (one text value per batch), not as Prisma-mapped cells or keyed objects:
 * for a 500-row batch that halves the cost of each statement.
 */
const FIELDS: readonly Field[] = [
  field("id", "id", "text", false),
  field("source", "source", "text"),
  field("project", "project", "text"),
  field("cwd", "cwd", "text"),
  field("host", "host", "text"),
  field("title", "title", "text"),
  field("titleAt", "title_at", "time"),
  field("status", "status", "text"),
  field("waitingReason", "waiting_reason", "text"),
  field("waitingSince", "waiting_since", "time"),
  field("waitingDetail", "waiting_detail", "text"),
  field("waitedMs", "waited_ms", "bigint"),
  field("endReason", "end_reason", "text"),
  field("endDetail", "end_detail", "text"),
  field("startedAt", "started_at", "time"),
  field("lastEventAt", "last_event_at", "time"),
  field("statusAt", "status_at", "time"),
  field("endedAt", "ended_at", "time"),
  field("eventCount", "event_count", "int"),
  field("reopenCount", "reopen_count", "int"),
  field("startReason", "start_reason", "text"),
  field("parentSessionId", "parent_session_id", "text", false),
  field("inputTokens", "input_tokens", "bigint"),
  field("outputTokens", "output_tokens", "bigint"),
  field("cacheReadTokens", "cache_read_tokens", "bigint"),
  field("cacheCreationTokens", "cache_creation_tokens", "bigint"),
  field("costMicros", "cost_micros", "bigint"),
  field("estimatedCostMicros", "estimated_cost_micros", "bigint"),
  field("model", "model", "text"),
  field("modelAt", "model_at", "time"),
  field("apiErrors", "api_errors", "int"),
  field("toolCallsHooks", "tool_calls_hooks", "int"),
  field("toolCallsOtel", "tool_calls_otel", "int"),
  field("spanCount", "span_count", "int"),
  field("aliveAt", "alive_at", "time"),
  field("hasStatusSignal", "has_status_signal", "bool"),
];

/** A column as a JSON-friendly value: times as epoch ms (exact for timestamptz(3)). */
const readExpression = (f: Field) =>
  f.kind === "time" ? `(EXTRACT(EPOCH FROM s.${f.column}) * 1000)::bigint` : `s.${f.column}`;
const SQL_TYPE: Record<FieldKind, string> = {
  text: "text",
  int: "int",
  bigint: "bigint",
  time: "timestamptz",
  bool: "boolean",
};

/** `json_build_array(...)` of one session row `s`, in FIELDS order. */
const ROW_ARRAY = Prisma.raw(`json_build_array(${FIELDS.map(readExpression).join(", ")})`);

/**
 * Selects sessions as one JSON text: `SELECT … FROM (<inner>) s`, where `inner` selects whole rows of
 * `sessions` (it may lock them: FOR UPDATE, SKIP LOCKED).
 */
export async function selectSessions(db: Db, inner: Prisma.Sql): Promise<SessionState[]> {
  const [row] = await db.$queryRaw<Array<{ rows: string }>>`
    SELECT coalesce(json_agg(${ROW_ARRAY} ORDER BY s.id), '[]')::text AS rows FROM (${inner}) AS s`;
  return (JSON.parse(row.rows) as unknown[][]).map(fromArray);
}

function fromArray(values: unknown[]): SessionState {
  const session = {} as Record<keyof SessionState, unknown>;
  FIELDS.forEach((f, i) => {
    const value = values[i];
    session[f.key] = value === null || f.kind === "text" || f.kind === "bool" ? value : Number(value);
  });
  return session as unknown as SessionState;
}

/** A session from a Prisma model row (reads that go through Prisma's query API). */
export function fromRow(row: Record<string, unknown>): SessionState {
  const session = {} as Record<keyof SessionState, unknown>;
  for (const f of FIELDS) {
    const value = row[f.key];
    session[f.key] =
      value === null || value === undefined
        ? null
        : f.kind === "time"
          ? (value as Date).getTime()
          : f.kind === "text" || f.kind === "bool"
            ? value
            : Number(value);
  }
  return session as unknown as SessionState;
}

/** The Prisma `select` that gives what fromRow needs. */
export const STATE_SELECT = Object.fromEntries(FIELDS.map((f) => [f.key, true])) as Record<keyof SessionState, true>;

const WRITTEN = FIELDS.filter((f) => f.written);
const SET_CLAUSE = Prisma.raw(WRITTEN.map((f, i) => `${f.column} = (r->>${i + 1})::${SQL_TYPE[f.kind]}`).join(", "));

/**
 * Writes sessions back in one statement, whatever their number. Rows are matched by id; callers hold
 * the rows' locks.
 */
export async function writeSessions(db: Db, sessions: SessionState[]): Promise<void> {
  if (sessions.length === 0) return;
  const rows = sessions.map((s) => [
    s.id,
    ...WRITTEN.map((f) =>
      f.kind === "time" && s[f.key] !== null ? new Date(s[f.key] as number).toISOString() : s[f.key],
    ),
  ]);
  await db.$executeRaw`
    UPDATE sessions AS s SET ${SET_CLAUSE}, updated_at = now()
    FROM jsonb_array_elements(${pgJson(rows)}::jsonb) AS r
    WHERE s.id = r->>0`;
}
