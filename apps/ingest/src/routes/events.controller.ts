import { Body, Controller, HttpCode, Inject, Post, Req } from "@nestjs/common";
import { buildEvent, eventInputSchema, mapEventInput } from "@pulse/core";
import { type EventsAcceptedJson, MAX_EVENTS_PER_REQUEST } from "@pulse/core/api";
import { z } from "zod";
import type { FastifyRequest } from "fastify";
import { badRequest } from "../http/api-error";
import { fallbackKey, readDelivery } from "../http/delivery";
import { parseOr400 } from "../http/validate";
import { refuseWhatTheWorkerWould } from "../http/worker-check";
import { INGEST_DEPS, type IngestDeps } from "../deps";

const batchSchema = z.array(eventInputSchema);

/** Normalised events from custom agents, the CLI and benchmarks: one, or an array of up to 1000. */
@Controller("v1/events")
export class EventsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Post()
  @HttpCode(202)
  async post(@Req() request: FastifyRequest, @Body() body: unknown): Promise<EventsAcceptedJson> {
    const delivery = readDelivery(request, this.deps.now());
    const list = Array.isArray(body) ? body : [body];
    if (list.length === 0) throw badRequest("the body is an empty array; send at least one event");
    if (list.length > MAX_EVENTS_PER_REQUEST)
      throw badRequest(`at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${list.length})`);
    if (!Array.isArray(body) && (typeof body !== "object" || body === null || Buffer.isBuffer(body)))
      throw badRequest("the body must be an event object or an array of them");
    // A batch is accepted whole or not at all, so a client never has to work out which half landed.
    const inputs = Array.isArray(body) ? parseOr400(batchSchema, list) : [parseOr400(eventInputSchema, body)];
    const events = inputs.map((input, i) => {
      const stampedMs = input.time ?? delivery.stampedMs;
      const key = input.id ?? (Array.isArray(body) || !delivery.key ? fallbackKey(list[i], stampedMs) : delivery.key);
      return buildEvent(
        {
          session_id: input.session_id,
          source: input.source,
          cwd: input.cwd,
          project: input.project,
          host: input.host,
        },
        mapEventInput(input),
        { key, receivedMs: delivery.receivedMs, stampedMs, host: delivery.host },
        list[i],
      );
    });
    refuseWhatTheWorkerWould(events);
    await this.deps.enqueue(events, request.bodyBytes);
    return { accepted: events.length };
  }
}
