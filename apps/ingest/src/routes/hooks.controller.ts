import { Body, Controller, HttpCode, Inject, Post, Req } from "@nestjs/common";
import {
  buildEvent,
  CLAUDE_CODE_SOURCE,
  claudeCodeHookSchema,
  CODEX_SOURCE,
  codexHookSchema,
  codexNotifySchema,
  type EventOrigin,
  GEMINI_SOURCE,
  geminiHookSchema,
  isCodexNotify,
  mapClaudeCodeHook,
  mapCodexHook,
  mapCodexNotify,
  type MappedEvent,
  mapGeminiHook,
  parseEventTime,
} from "@pulse/core";
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
  claudeCode(@Req() request: FastifyRequest, @Body() body: unknown) {
    const hook = parseOr400(claudeCodeHookSchema, requireJsonObject(body));
    return this.accept(request, body, { session_id: hook.session_id, source: CLAUDE_CODE_SOURCE, cwd: hook.cwd }, mapClaudeCodeHook(hook));
  }

  /** Codex hook inputs, and Codex's legacy `notify` payload (which names the session `thread-id`). */
  @Post("codex")
  @HttpCode(202)
  codex(@Req() request: FastifyRequest, @Body() body: unknown) {
    const object = requireJsonObject(body);
    if (isCodexNotify(object)) {
      const notify = parseOr400(codexNotifySchema, object);
      return this.accept(request, body, { session_id: notify["thread-id"], source: CODEX_SOURCE, cwd: notify.cwd }, mapCodexNotify(notify));
    }
    const hook = parseOr400(codexHookSchema, object);
    return this.accept(request, body, { session_id: hook.session_id, source: CODEX_SOURCE, cwd: hook.cwd }, mapCodexHook(hook));
  }

  /** Gemini CLI hook inputs: Gemini stamps each with its own `timestamp`, the event's time. */
  @Post("gemini")
  @HttpCode(202)
  gemini(@Req() request: FastifyRequest, @Body() body: unknown) {
    const hook = parseOr400(geminiHookSchema, requireJsonObject(body));
    const stamped = hook.timestamp ? parseEventTime(hook.timestamp) : null;
    return this.accept(request, body, { session_id: hook.session_id, source: GEMINI_SOURCE, cwd: hook.cwd }, mapGeminiHook(hook), stamped?.ok ? stamped.ms : undefined);
  }

  private async accept(request: FastifyRequest, body: unknown, origin: EventOrigin, mapped: MappedEvent, agentTimeMs?: number) {
    const delivery = readDelivery(request, this.deps.now());
    const stampedMs = agentTimeMs ?? delivery.stampedMs;
    const event = buildEvent(origin, mapped, { key: delivery.key ?? fallbackKey(body, stampedMs), receivedMs: delivery.receivedMs, stampedMs, host: delivery.host }, body, request.bodyBytes);
    await this.deps.enqueue([event], request.bodyBytes);
    return { accepted: 1, event_id: event.key };
  }
}
