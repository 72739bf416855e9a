// The OTLP protobuf messages, from the official opentelemetry-proto definitions as compiled into
// @opentelemetry/otlp-transformer 0.52 (a protobufjs static module with decoders; later versions
// dropped it for a hand-written encoder). Pinned to that version for this file.
import * as generated from "@opentelemetry/otlp-transformer/build/src/generated/root";

/** The few static-module methods used here (the package's .d.ts types the root only as a Root). */
interface ProtoMessage {
  decode(bytes: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: object): unknown;
  toObject(message: unknown, options: object): unknown;
}
type Collector = Record<"v1", Record<string, ProtoMessage>>;
const root = generated as unknown as {
  opentelemetry: { proto: { collector: { logs: Collector; trace: Collector; metrics: Collector } } };
};
const proto = root.opentelemetry.proto;
const TO_OBJECT = { longs: String, enums: Number, bytes: Array, defaults: false } as const;

const hex = (bytes: unknown) => (Array.isArray(bytes) ? Buffer.from(bytes as number[]).toString("hex") : bytes);

/** An ExportLogsServiceRequest as the object OTLP's JSON encoding would give. Throws on bad bytes. */
export function decodeLogsRequest(body: Buffer): unknown {
  const message = proto.collector.logs.v1.ExportLogsServiceRequest;
  return message.toObject(message.decode(body), TO_OBJECT);
}

/** An ExportTraceServiceRequest as OTLP JSON would give it (trace and span ids in hex). Throws on bad bytes. */
export function decodeTraceRequest(body: Buffer): unknown {
  const message = proto.collector.trace.v1.ExportTraceServiceRequest;
  const request = message.toObject(message.decode(body), TO_OBJECT) as {
    resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
  };
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const field of ["traceId", "spanId", "parentSpanId"]) if (field in span) span[field] = hex(span[field]);
      }
    }
  }
  return request;
}

export interface PartialSuccess {
  rejectedLogRecords?: number;
  rejectedSpans?: number;
  rejectedDataPoints?: number;
  errorMessage?: string;
}

/** An Export*ServiceResponse in protobuf, for exporters that sent protobuf. */
export function encodeResponse(signal: "logs" | "trace" | "metrics", partialSuccess: PartialSuccess): Buffer {
  const message =
    signal === "logs"
      ? proto.collector.logs.v1.ExportLogsServiceResponse
      : signal === "trace"
        ? proto.collector.trace.v1.ExportTraceServiceResponse
        : proto.collector.metrics.v1.ExportMetricsServiceResponse;
  // Full success leaves partial_success unset, as the OTLP specification asks.
  const accepted = Object.keys(partialSuccess).length === 0;
  return Buffer.from(message.encode(message.fromObject(accepted ? {} : { partialSuccess })).finish());
}

/** The messages themselves: tests build protobuf bodies with them. */
export const otlpMessages = {
  logsRequest: proto.collector.logs.v1.ExportLogsServiceRequest,
  logsResponse: proto.collector.logs.v1.ExportLogsServiceResponse,
  traceRequest: proto.collector.trace.v1.ExportTraceServiceRequest,
  traceResponse: proto.collector.trace.v1.ExportTraceServiceResponse,
};
