/**
 * The JSON the ingest API answers with (docs/api.md), under the names the dashboard, the CLI and
 * packages/sessions use: inferred from the schemas in api/responses.ts (type-only here, so nothing
 * of zod is loaded for them).
 */
export type {
  CleanupJson,
  CostByProjectJson,
  DailyStatsJson,
  FacetsJson,
  QueuesJson,
  SessionMessageJson,
  SessionPageJson,
  SessionWithEventsJson,
  StatsJson,
  StatsReplyJson,
} from "./api/responses";
