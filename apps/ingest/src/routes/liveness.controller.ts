import { Body, Controller, HttpCode, Inject, Post, Req } from "@nestjs/common";
import { buildEvent, livenessInputSchema, livenessIntervalMs, mappedEvent } from "@pulse/core";
import type { LivenessAcceptedJson } from "@pulse/core/api";
import type { FastifyRequest } from "fastify";
import { readDelivery } from "../http/delivery";
import { parseOr400, requireJsonObject } from "../http/validate";
import { refuseWhatTheWorkerWould } from "../http/worker-check";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/**
 * The watcher's proof that a session's agent process lives (lifecycle rule 7). Queued like any event,
 * so it is applied in order with the session's events; never stored as one. The answer says when to
 * send the next, derived from the stale timeout, so a watcher never needs to know it.
 */
@Controller("v1/liveness")
export class LivenessController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Post()
  @HttpCode(202)
  async post(@Req() request: FastifyRequest, @Body() body: unknown): Promise<LivenessAcceptedJson> {
    const input = parseOr400(livenessInputSchema, requireJsonObject(body));
    const delivery = readDelivery(request, this.deps.now());
    const stampedMs = input.time ?? delivery.stampedMs;
    const event = buildEvent(
      { session_id: input.session_id, source: input.source },
      { ...mappedEvent("alive", "liveness"), signal: "liveness" },
      // Proof of life is idempotent by nature (only the newest counts): the key is never stored.
      { key: "alive", receivedMs: delivery.receivedMs, stampedMs, host: delivery.host },
      null,
      0,
    );
    refuseWhatTheWorkerWould([event]);
    await this.deps.enqueue([event], request.bodyBytes);
    return { accepted: 1, interval_ms: livenessIntervalMs(this.deps.config.SESSION_STALE_TIMEOUT_MINUTES * 60_000) };
  }
}
