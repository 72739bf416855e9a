import { Body, Controller, HttpCode, Inject, Post, Req } from "@nestjs/common";
import { buildEvent, CLAUDE_CODE_SOURCE, claudeCodeHookSchema, mapClaudeCodeHook } from "@pulse/core";
import type { FastifyRequest } from "fastify";
import { fallbackKey, readDelivery } from "../http/delivery";
import { parseOr400, requireJsonObject } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/** Agent hooks: each route takes one hook input exactly as the agent writes it to a hook's stdin. */
@Controller("v1/hooks")
export class HooksController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Post("claude-code")
  @HttpCode(202)
  async claudeCode(@Req() request: FastifyRequest, @Body() body: unknown) {
    const delivery = readDelivery(request, this.deps.now());
    const hook = parseOr400(claudeCodeHookSchema, requireJsonObject(body));
    const event = buildEvent(
      { session_id: hook.session_id, source: CLAUDE_CODE_SOURCE, cwd: hook.cwd },
      mapClaudeCodeHook(hook),
      { key: delivery.key ?? fallbackKey(body, delivery.stampedMs), receivedMs: delivery.receivedMs, stampedMs: delivery.stampedMs, host: delivery.host },
      body,
    );
    await this.deps.enqueue([event]);
    return { accepted: 1, event_id: event.key };
  }
}
