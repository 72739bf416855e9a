import { createHash } from "node:crypto";
import { Body, Controller, HttpCode, Inject, Post, Req, Res } from "@nestjs/common";
import {
  buildEvent,
  describeZodError,
  mapOtlpLogs,
  mapOtlpSpans,
  normalizedEventSchema,
  type OtlpMapping,
} from "@pulse/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { badRequest } from "../http/api-error";
import { readDelivery } from "../http/delivery";
import { decodeLogsRequest, decodeTraceRequest, encodeResponse, type PartialSuccess } from "../otlp/protobuf";
import { INGEST_DEPS, type IngestDeps } from "../deps";

type Signal = "logs" | "trace";

/**
 * OTLP/HTTP receivers (JSON or protobuf, gzip accepted), for Claude Code's and Codex's exporters
 * pointed at OTEL_EXPORTER_OTLP_ENDPOINT=<this server>. Records become events of the session named by
 * `session.id` / `conversation.id`; the same record sent twice is applied once (keyed by its content).
 */
@Controller("v1")
export class OtlpController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Post("logs")
  @HttpCode(200)
  logs(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    return this.export("logs", request, reply, body, decodeLogsRequest, mapOtlpLogs);
  }

  @Post("traces")
  @HttpCode(200)
  traces(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    return this.export("trace", request, reply, body, decodeTraceRequest, mapOtlpSpans);
  }

  /** Exporters that send metrics too are answered, not refused; Pulse reads sessions from logs. */
  @Post("metrics")
  @HttpCode(200)
  metrics(@Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    return this.respond("metrics", reply, Buffer.isBuffer(body), {});
  }

  private async export(
    signal: Signal,
    request: FastifyRequest,
    reply: FastifyReply,
    body: unknown,
    decode: (bytes: Buffer) => unknown,
    map: (request: unknown) => OtlpMapping,
  ) {
    const protobuf = Buffer.isBuffer(body);
    let mapping: OtlpMapping;
    try {
      mapping = map(protobuf ? decode(body) : body);
    } catch (error) {
      throw badRequest(
        `not a valid OTLP ${signal === "logs" ? "logs" : "trace"} export${protobuf ? " (protobuf)" : ""}: ${(error as Error).message}`,
      );
    }
    const delivery = readDelivery(request, this.deps.now());
    const built = mapping.events.map((e) =>
      buildEvent(
        { session_id: e.sessionId, source: e.source, host: e.host, project: e.project },
        e.mapped,
        {
          key: `otel-${createHash("sha256").update(e.identity).digest("base64url").slice(0, 32)}`,
          receivedMs: delivery.receivedMs,
          stampedMs: e.timeMs ?? undefined,
          host: delivery.host,
        },
        e.raw,
      ),
    );
    // A record's attributes are anyone's text: one whose event the worker would refuse (a session.id
    // with control characters, or only spaces) is rejected here, as OTLP allows, rather than
    // accepted and then failing the job it shares with other requests' events.
    const checks = built.map((event) => ({ event, check: normalizedEventSchema.safeParse(event) }));
    const events = checks.filter((c) => c.check.success).map((c) => c.event);
    const firstRefusal = checks.find((c) => !c.check.success)?.check.error;
    const refused = built.length - events.length;
    if (events.length > 0) await this.deps.enqueue(events);
    const rejectedField = signal === "logs" ? "rejectedLogRecords" : "rejectedSpans";
    const rejected = mapping.rejected + refused;
    const reason = firstRefusal
      ? `${refused} record(s) refused, e.g. ${describeZodError(firstRefusal)}`
      : mapping.rejectionReason;
    const partialSuccess: PartialSuccess =
      rejected > 0 ? { [rejectedField]: rejected, errorMessage: reason ?? undefined } : {};
    return this.respond(signal, reply, protobuf, partialSuccess);
  }

  /** OTLP answers in the encoding it was sent. */
  private respond(signal: Signal | "metrics", reply: FastifyReply, protobuf: boolean, partialSuccess: PartialSuccess) {
    if (!protobuf) return { partialSuccess };
    void reply.header("content-type", "application/x-protobuf");
    return encodeResponse(signal, partialSuccess);
  }
}
