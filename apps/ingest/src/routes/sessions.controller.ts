import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from "@nestjs/common";
import { type SessionJson, toSessionJson } from "@pulse/core";
import {
  cleanupBody,
  type CleanupJson,
  MAX_CLEANUP,
  sessionListQuery,
  type SessionPageJson,
  type SessionWithEventsJson,
} from "@pulse/core/api";
import { decodeCursor, getSession, listSessionEvents, listSessions } from "@pulse/sessions";
import { badRequest, notFound } from "../http/api-error";
import { parseOr400, requireJsonObject } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";

@Controller("v1/sessions")
export class SessionsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  /** Newest activity first, `next_cursor` for the following page (null on the last). */
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<SessionPageJson> {
    const q = parseOr400(sessionListQuery, query);
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (cursor === null) throw badRequest("cursor: not a cursor returned by this API");
    const page = await listSessions(this.deps.prisma, {
      statuses: q.status,
      project: q.project || undefined,
      source: q.source || undefined,
      q: q.q || undefined,
      limit: q.limit,
      cursor,
    });
    return { items: page.items.map(toSessionJson), next_cursor: page.nextCursor };
  }

  /** Closes every open session silent for longer than the threshold (or lists them: dry_run). */
  @Post("cleanup")
  @HttpCode(200)
  async cleanup(@Body() body: unknown): Promise<CleanupJson> {
    const { older_than_minutes, dry_run, ids } = parseOr400(cleanupBody, requireJsonObject(body));
    const sessions = await this.deps.store.cleanup({
      cutoffMs: this.deps.now() - older_than_minutes * 60_000,
      dryRun: dry_run,
      limit: MAX_CLEANUP,
      ids,
    });
    return { dry_run, older_than_minutes, count: sessions.length, sessions: sessions.map(toSessionJson) };
  }

  @Get(":id")
  async get(@Param("id") id: string): Promise<SessionWithEventsJson> {
    const session = await getSession(this.deps.prisma, id);
    if (!session) throw notFound(`no session with id "${id.slice(0, 200)}"`);
    return { ...toSessionJson(session), events: await listSessionEvents(this.deps.prisma, id, 200) };
  }

  /** Ends a session by hand, at its last event. An ended session is returned as it is. */
  @Post(":id/close")
  @HttpCode(200)
  async close(@Param("id") id: string): Promise<SessionJson> {
    const result = await this.deps.store.close(id);
    if (!result) throw notFound(`no session with id "${id.slice(0, 200)}"`);
    return toSessionJson(result.session);
  }
}
