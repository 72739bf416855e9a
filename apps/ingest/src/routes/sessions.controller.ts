import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from "@nestjs/common";
import { SESSION_STATUSES, type SessionStatus, toSessionJson } from "@pulse/core";
import { decodeCursor, getSession, listSessionEvents, listSessions } from "@pulse/sessions";
import { z } from "zod";
import { badRequest, notFound } from "../http/api-error";
import { parseOr400, requireJsonObject } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";

export const MAX_PAGE_SIZE = 500;

const listQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const statuses = value.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = statuses.find((s) => !SESSION_STATUSES.includes(s as SessionStatus));
      if (unknown) {
        ctx.addIssue({ code: "custom", message: `unknown status "${unknown}"; use ${SESSION_STATUSES.join(", ")}` });
        return z.NEVER;
      }
      return statuses as SessionStatus[];
    }),
  project: z.string().max(200).optional(),
  source: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` }).default(50),
  cursor: z.string().max(1000).optional(),
});

/** Most sessions one clean-up call ends; a user with more runs it again. */
export const MAX_CLEANUP = 10_000;
const MAX_CLEANUP_MINUTES = 100 * 366 * 24 * 60;

const cleanupBody = z.object({
  // At most a century: the cutoff is a time (now minus this), and past the range of times it is none.
  older_than_minutes: z.number({ error: (i) => (i.input === undefined ? "is required" : "must be a number of minutes") }).positive({ error: "must be greater than 0" }).max(MAX_CLEANUP_MINUTES, { error: `must be at most ${MAX_CLEANUP_MINUTES} (100 years)` }),
  dry_run: z.boolean({ error: "must be true or false" }).default(false),
  /** Only these sessions (those a dry run listed and the user confirmed), if still silent that long. */
  ids: z.array(z.string().min(1).max(200), { error: "must be an array of session ids" }).max(MAX_CLEANUP, { error: `must list at most ${MAX_CLEANUP} ids` }).optional(),
});

@Controller("v1/sessions")
export class SessionsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  /** Newest activity first, `next_cursor` for the following page (null on the last). */
  @Get()
  async list(@Query() query: Record<string, unknown>) {
    const q = parseOr400(listQuery, query);
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (cursor === null) throw badRequest("cursor: not a cursor returned by this API");
    const page = await listSessions(this.deps.prisma, { statuses: q.status, project: q.project || undefined, source: q.source || undefined, q: q.q || undefined, limit: q.limit, cursor });
    return { items: page.items.map(toSessionJson), next_cursor: page.nextCursor };
  }

  /** Closes every open session silent for longer than the threshold (or lists them: dry_run). */
  @Post("cleanup")
  @HttpCode(200)
  async cleanup(@Body() body: unknown) {
    const { older_than_minutes, dry_run, ids } = parseOr400(cleanupBody, requireJsonObject(body));
    const sessions = await this.deps.store.cleanup({ cutoffMs: this.deps.now() - older_than_minutes * 60_000, dryRun: dry_run, limit: MAX_CLEANUP, ids });
    return { dry_run, older_than_minutes, count: sessions.length, sessions: sessions.map(toSessionJson) };
  }

  @Get(":id")
  async get(@Param("id") id: string) {
    const session = await getSession(this.deps.prisma, id);
    if (!session) throw notFound(`no session with id "${id.slice(0, 200)}"`);
    return { ...toSessionJson(session), events: await listSessionEvents(this.deps.prisma, id, 200) };
  }

  /** Ends a session by hand, at its last event. An ended session is returned as it is. */
  @Post(":id/close")
  @HttpCode(200)
  async close(@Param("id") id: string) {
    const result = await this.deps.store.close(id);
    if (!result) throw notFound(`no session with id "${id.slice(0, 200)}"`);
    return toSessionJson(result.session);
  }
}
