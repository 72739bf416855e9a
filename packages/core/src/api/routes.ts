/**
 * Every ingest route with what it accepts and answers: the one list /openapi.json is generated from
 * and the route walk checks against what Fastify registered (a route added to a controller and not
 * here fails that test). Paths are written as Fastify matches them (`:id`).
 */
import { z } from "zod";
import { eventInputSchema, livenessInputSchema } from "../normalize";
import {
  channelCreateBody,
  channelIdParams,
  channelListSchema,
  channelSchema,
  notificationSettingsBody,
  notificationSettingsSchema,
  notificationTestBody,
  notificationTestResultSchema,
} from "./notifications";
import {
  agentParams,
  cleanupBody,
  costByProjectQuery,
  dailyQuery,
  MAX_EVENTS_PER_REQUEST,
  sessionIdParams,
  sessionListQuery,
  statsQuery,
  streamQuery,
  timelineQuery,
} from "./requests";
import {
  cleanupSchema,
  costByProjectSchema,
  dailyStatsSchema,
  eventsAcceptedSchema,
  facetsSchema,
  healthSchema,
  hookAcceptedSchema,
  livenessAcceptedSchema,
  notReadySchema,
  otlpExportSchema,
  queuesSchema,
  readySchema,
  sessionPageSchema,
  sessionSchema,
  sessionWithEventsSchema,
  statsReplySchema,
  timelineSchema,
} from "./responses";

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  summary: string;
  tag: "ingest" | "sessions" | "stats" | "notifications" | "operations";
  /** The health checks: no token, no Host or cross-site check (apps/ingest/src/http/open-routes.ts). */
  open?: boolean;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** A JSON body; `protobuf` also takes OTLP's `application/x-protobuf`. */
  body?: { schema: z.ZodType; protobuf?: boolean };
  /** The success status and what it carries (errors are always ApiError). */
  status: number;
  reply: z.ZodType;
  /** What the success carries when it is not JSON: a server-sent event stream, Prometheus text. */
  replyType?: "text/event-stream" | "text/plain";
  /** Other answers than the success and the common errors, e.g. readyz's 503. */
  otherReplies?: Record<number, { description: string; schema: z.ZodType }>;
}

/** A hook input exactly as the agent writes it to a hook's stdin: each agent's adapter reads it. */
const hookInput = z.record(z.string(), z.unknown()).meta({
  id: "HookInput",
  description: "A hook input as the agent writes it to its hook's stdin (Codex: also its legacy notify payload)",
});
const eventsBody = z
  .union([eventInputSchema.meta({ id: "EventInput" }), z.array(eventInputSchema).min(1).max(MAX_EVENTS_PER_REQUEST)])
  .meta({ description: `One event, or an array of up to ${MAX_EVENTS_PER_REQUEST} accepted whole or refused whole` });
/** OTLP/HTTP JSON export requests (their protobuf form is the same message). */
const otlpBody = (id: string) =>
  z.record(z.string(), z.unknown()).meta({
    id,
    description: "An OTLP/HTTP export request (JSON, or protobuf with content-type application/x-protobuf)",
  });

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: "/healthz",
    summary: "The process is up",
    tag: "operations",
    open: true,
    status: 200,
    reply: healthSchema,
  },
  {
    method: "GET",
    path: "/readyz",
    summary: "Ready to take events: Redis and Postgres both answer",
    tag: "operations",
    open: true,
    status: 200,
    reply: readySchema,
    otherReplies: { 503: { description: "Redis or Postgres does not answer (Retry-After)", schema: notReadySchema } },
  },
  {
    method: "GET",
    path: "/openapi.json",
    summary: "This document",
    tag: "operations",
    status: 200,
    reply: z.record(z.string(), z.unknown()),
  },
  {
    method: "POST",
    path: "/v1/hooks/:agent",
    summary: "One agent hook input",
    tag: "ingest",
    params: agentParams,
    body: { schema: hookInput },
    status: 202,
    reply: hookAcceptedSchema,
  },
  {
    method: "POST",
    path: "/v1/events",
    summary: "Normalised events",
    tag: "ingest",
    body: { schema: eventsBody },
    status: 202,
    reply: eventsAcceptedSchema,
  },
  {
    method: "POST",
    path: "/v1/liveness",
    summary: "The watcher's proof that a session's agent process lives",
    tag: "ingest",
    body: { schema: livenessInputSchema.meta({ id: "LivenessInput" }) },
    status: 202,
    reply: livenessAcceptedSchema,
  },
  {
    method: "POST",
    path: "/v1/logs",
    summary: "OTLP/HTTP logs",
    tag: "ingest",
    body: { schema: otlpBody("OtlpLogsRequest"), protobuf: true },
    status: 200,
    reply: otlpExportSchema,
  },
  {
    method: "POST",
    path: "/v1/traces",
    summary: "OTLP/HTTP traces",
    tag: "ingest",
    body: { schema: otlpBody("OtlpTraceRequest"), protobuf: true },
    status: 200,
    reply: otlpExportSchema,
  },
  {
    method: "POST",
    path: "/v1/metrics",
    summary: "OTLP/HTTP metrics (accepted, not used)",
    tag: "ingest",
    body: { schema: otlpBody("OtlpMetricsRequest"), protobuf: true },
    status: 200,
    reply: otlpExportSchema,
  },
  {
    method: "GET",
    path: "/v1/sessions",
    summary: "Sessions, newest activity first",
    tag: "sessions",
    query: sessionListQuery,
    status: 200,
    reply: sessionPageSchema,
  },
  {
    method: "GET",
    path: "/v1/sessions/:id",
    summary: "One session and its newest 200 events",
    tag: "sessions",
    params: sessionIdParams,
    status: 200,
    reply: sessionWithEventsSchema,
  },
  {
    method: "POST",
    path: "/v1/sessions/:id/close",
    summary: "Ends a session by hand, at its last event",
    tag: "sessions",
    params: sessionIdParams,
    status: 200,
    reply: sessionSchema,
  },
  {
    method: "POST",
    path: "/v1/sessions/cleanup",
    summary: "Ends (or lists: dry_run) open sessions silent for longer than a threshold",
    tag: "sessions",
    body: { schema: cleanupBody },
    status: 200,
    reply: cleanupSchema,
  },
  {
    method: "GET",
    path: "/v1/facets",
    summary: "Every project and source, with counts",
    tag: "sessions",
    status: 200,
    reply: facetsSchema,
  },
  {
    method: "GET",
    path: "/v1/stats",
    summary: "Counts by status, last-24-h figures, dead letters",
    tag: "stats",
    query: statsQuery,
    status: 200,
    reply: statsReplySchema,
  },
  {
    method: "GET",
    path: "/v1/stats/timeline",
    summary: "Concurrent sessions over time",
    tag: "stats",
    query: timelineQuery,
    status: 200,
    reply: timelineSchema,
  },
  {
    method: "GET",
    path: "/v1/stats/daily",
    summary: "Sessions and cost per day",
    tag: "stats",
    query: dailyQuery,
    status: 200,
    reply: dailyStatsSchema,
  },
  {
    method: "GET",
    path: "/v1/stats/cost-by-project",
    summary: "Cost per project per day",
    tag: "stats",
    query: costByProjectQuery,
    status: 200,
    reply: costByProjectSchema,
  },
  {
    method: "GET",
    path: "/v1/queues",
    summary: "Queues' job counts and their newest failed jobs (dead letters)",
    tag: "operations",
    status: 200,
    reply: queuesSchema,
  },
  {
    method: "GET",
    path: "/v1/stream",
    summary: "Server-sent events of session changes (the Session JSON), with Last-Event-ID catch-up",
    tag: "sessions",
    query: streamQuery,
    status: 200,
    reply: sessionSchema,
    replyType: "text/event-stream",
  },
  {
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics (text exposition format)",
    tag: "operations",
    status: 200,
    reply: z.string(),
    replyType: "text/plain",
  },
  {
    method: "GET",
    path: "/v1/notifications/channels",
    summary: "Notification channels, each with its newest delivery outcome (URLs masked)",
    tag: "notifications",
    status: 200,
    reply: channelListSchema,
  },
  {
    method: "POST",
    path: "/v1/notifications/channels",
    summary: "Adds a notification channel",
    tag: "notifications",
    body: { schema: channelCreateBody },
    status: 201,
    reply: channelSchema,
  },
  {
    method: "DELETE",
    path: "/v1/notifications/channels/:id",
    summary: "Removes a notification channel",
    tag: "notifications",
    params: channelIdParams,
    status: 200,
    reply: channelSchema,
  },
  {
    method: "POST",
    path: "/v1/notifications/test",
    summary: "Sends a test notification to every channel, or to one ({channel}), and says how each went",
    tag: "notifications",
    body: { schema: notificationTestBody },
    status: 200,
    reply: notificationTestResultSchema,
  },
  {
    method: "GET",
    path: "/v1/notifications/settings",
    summary: "The settle time and quiet hours every channel and the inbox share",
    tag: "notifications",
    status: 200,
    reply: notificationSettingsSchema,
  },
  {
    method: "PUT",
    path: "/v1/notifications/settings",
    summary: "Changes the settle time or quiet hours",
    tag: "notifications",
    body: { schema: notificationSettingsBody },
    status: 200,
    reply: notificationSettingsSchema,
  },
];
