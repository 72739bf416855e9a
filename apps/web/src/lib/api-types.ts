/**
 * The ingest API's JSON (docs/api.md). The dashboard reads only through that API; the types are
 * the ones ingest itself answers with, from @pulse/core, under the names the dashboard uses.
 */
export type {
  CostByProjectJson as CostByProject,
  SessionEventJson as SessionEvent,
  SessionJson as Session,
  SessionMessageJson as SessionMessage,
  SessionPageJson as SessionPage,
  SessionStatus,
  SessionWithEventsJson as SessionWithEvents,
  StatsJson as Stats,
  Timeline,
  TimelinePoint,
} from "@pulse/core";
