import { Body, Controller, HttpCode, Inject, Param, Post, Req } from "@nestjs/common";
import { AGENT_IDS, agentById, buildEvent, describeZodError, parseHookInput, type HookInput } from "@pulse/core";
import type { HookAcceptedJson } from "@pulse/core/api";
import type { FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { badRequest, notFound } from "../http/api-error";
import { fallbackKey, readDelivery } from "../http/delivery";
import { requireJsonObject } from "../http/validate";
import { refuseWhatTheWorkerWould } from "../http/worker-check";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/**
 * Agent hooks: `/v1/hooks/<agent>` takes one hook input exactly as that agent writes it to a hook's
 * stdin (Codex's route also takes its legacy `notify` payload). Which agents there are, and what each
 * event means, is the agent's adapter (packages/core/src/agents).
 */
@Controller("v1/hooks")
export class HooksController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Post(":agent")
  @HttpCode(202)
  async hook(
    @Param("agent") agentId: string,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<HookAcceptedJson> {
    const agent = agentById(agentId);
    if (!agent) throw notFound(`no hook route for "${agentId.slice(0, 64)}": agents are ${AGENT_IDS.join(", ")}`);
    let input: HookInput;
    try {
      input = parseHookInput(agent, requireJsonObject(body));
    } catch (error) {
      if (error instanceof ZodError) throw badRequest(describeZodError(error));
      throw error;
    }
    const mapped = agent.mapHook(input.body);
    // Not about a user's session (Codex's title generator): nothing to store.
    if (mapped === null) return { accepted: 0, ignored: "not a user session (the agent's own title generator)" };
    const delivery = readDelivery(request, this.deps.now());
    const stampedMs = agent.hookTime?.(input.body) ?? delivery.stampedMs;
    // A key the event has by nature wins over the delivery's: two hook runs reporting the same thing
    // (Gemini's repeated SessionEnd) are then one event, whatever keys their deliveries carry.
    const key = agent.hookKey?.(input.body) ?? delivery.key ?? fallbackKey(body, stampedMs);
    const event = buildEvent(
      { session_id: input.sessionId, source: agent.id, cwd: input.cwd },
      mapped,
      { key, receivedMs: delivery.receivedMs, stampedMs, host: delivery.host },
      body,
      request.bodyBytes,
    );
    refuseWhatTheWorkerWould([event]);
    await this.deps.enqueue([event], request.bodyBytes);
    return { accepted: 1, event_id: event.key };
  }
}
