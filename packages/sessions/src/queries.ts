import type { FacetsJson, SessionEventJson, SessionState, SessionStatus } from "@pulse/core";
import type { Prisma, PrismaClient } from "@pulse/db";
import { fromRow, STATE_SELECT } from "./rows";

const STATE_FIELDS = STATE_SELECT;

export interface SessionFilter {
  statuses?: SessionStatus[];
  project?: string;
  source?: string;
  /** Free text: matched against title, project, cwd, host and id. */
  q?: string;
}

/** Position after the last session of a page: newest activity first, ties by id. */
export interface SessionCursor {
  lastEventAt: number;
  id: string;
}

export function encodeCursor(cursor: SessionCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastEventAt, cursor.id])).toString("base64url");
}

/** The latest time a Date can hold; events are never stamped before 2000, so no cursor is before 1970. */
const MAX_DATE_MS = 8.64e15;

/** Null when the text is not a cursor this API made (an out-of-range time would fail the query). */
export function decodeCursor(text: string): SessionCursor | null {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      Number.isFinite(value[0]) &&
      value[0] >= 0 &&
      value[0] <= MAX_DATE_MS &&
      typeof value[1] === "string" &&
      !value[1].includes("\u0000")
    )
      return { lastEventAt: value[0], id: value[1] };
  } catch {
    // fall through
  }
  return null;
}

function whereOf(filter: SessionFilter): Prisma.SessionWhereInput {
  const where: Prisma.SessionWhereInput = { lastEventAt: { not: null } };
  if (filter.statuses?.length) where.status = { in: filter.statuses };
  if (filter.project) where.project = filter.project;
  if (filter.source) where.source = filter.source;
  if (filter.q) {
    const contains = { contains: filter.q, mode: "insensitive" as const };
    where.OR = [{ title: contains }, { project: contains }, { cwd: contains }, { host: contains }, { id: contains }];
  }
  return where;
}

export async function listSessions(
  prisma: PrismaClient,
  filter: SessionFilter & { limit: number; cursor?: SessionCursor },
): Promise<{ items: SessionState[]; nextCursor: string | null }> {
  const where = whereOf(filter);
  if (filter.cursor) {
    const at = new Date(filter.cursor.lastEventAt);
    where.AND = [{ OR: [{ lastEventAt: { lt: at } }, { lastEventAt: at, id: { lt: filter.cursor.id } }] }];
  }
  const rows = await prisma.session.findMany({
    where,
    select: STATE_FIELDS,
    orderBy: [{ lastEventAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit).map(fromRow);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > filter.limit && last ? encodeCursor({ lastEventAt: last.lastEventAt!, id: last.id }) : null;
  return { items: page, nextCursor };
}

export async function getSession(prisma: PrismaClient, id: string): Promise<SessionState | null> {
  const row = await prisma.session.findUnique({ where: { id }, select: STATE_FIELDS });
  return row ? fromRow(row) : null;
}

/** The session's newest events, newest first. */
export async function listSessionEvents(
  prisma: PrismaClient,
  sessionId: string,
  limit = 200,
): Promise<SessionEventJson[]> {
  const rows = await prisma.event.findMany({
    where: { sessionId },
    orderBy: [{ time: "desc" }, { id: "desc" }],
    take: limit,
    select: { key: true, kind: true, name: true, time: true, tool: true, detail: true },
  });
  return rows.map((r) => ({
    id: r.key,
    kind: r.kind,
    name: r.name,
    time: r.time.toISOString(),
    tool: r.tool,
    detail: r.detail,
  }));
}

export type Facets = FacetsJson;

/** The projects and sources sessions have, most used first: what the filters can offer. */
export async function getFacets(prisma: PrismaClient, limit = 200): Promise<Facets> {
  const [projects, sources] = await Promise.all([
    prisma.$queryRaw<Array<{ name: string; sessions: number }>>`
      SELECT project AS name, count(*)::int AS sessions FROM sessions WHERE project IS NOT NULL AND last_event_at IS NOT NULL
      GROUP BY project ORDER BY sessions DESC, project LIMIT ${limit}`,
    prisma.$queryRaw<Array<{ name: string; sessions: number }>>`
      SELECT source AS name, count(*)::int AS sessions FROM sessions WHERE last_event_at IS NOT NULL
      GROUP BY source ORDER BY sessions DESC, source LIMIT ${limit}`,
  ]);
  return { projects, sources };
}
