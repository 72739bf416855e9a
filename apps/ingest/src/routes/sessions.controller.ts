import { Controller, Get, HttpCode, Inject, Param, Post, Query } from "@nestjs/common";
import { SESSION_STATUSES, type SessionStatus, toSessionJson } from "@pulse/core";
import { closeSession, decodeCursor, getSession, listSessionEvents, listSessions, publishSessions } from "@pulse/sessions";
import { z } from "zod";
import { badRequest, notFound } from "../http/api-error";
import { parseOr400 } from "../http/validate";
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
    const result = await closeSession(this.deps.prisma, id);
    if (!result) throw notFound(`no session with id "${id.slice(0, 200)}"`);
    if (result.changed) {
      await publishSessions(this.deps.redis, this.deps.sessionsChannel, [result.session]).catch((err) =>
        this.deps.logger.warn({ err: err.message }, "could not publish closed session"),
      );
    }
    return toSessionJson(result.session);
  }
}
