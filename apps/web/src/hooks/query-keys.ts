import type { Filters } from "@/lib/filters";

/**
 * The client cache's keys, one per resource the dashboard reads. Everything about sessions sits
 * under `sessions`, so a resync refetches lists and pages in one call.
 */
export const queryKeys = {
  sessions: ["sessions"] as const,
  lists: ["sessions", "list"] as const,
  /** One list per filter set, with the pages loaded so far. */
  list: (filters: Filters) => ["sessions", "list", filters] as const,
  details: ["sessions", "detail"] as const,
  /** One session with its newest events. */
  detail: (id: string) => ["sessions", "detail", id] as const,
  /** Every waiting session, for the "Needs you" inbox (under `sessions`: a resync refetches it). */
  inbox: ["sessions", "inbox"] as const,
  /** The key figures since the viewer's local midnight. */
  stats: ["stats"] as const,
  /** Concurrent sessions over the last 24 h. */
  timeline: ["timeline"] as const,
  costByProject: ["cost-by-project"] as const,
  /** Per-day figures over `days` days in the viewer's time zone. */
  daily: ["daily"] as const,
  dailyIn: (days: number, timeZone: string) => ["daily", days, timeZone] as const,
  /** Notification channels with their newest outcome, and the global settings. */
  channels: ["notifications", "channels"] as const,
  notificationSettings: ["notifications", "settings"] as const,
  /** Cost per project per day over `days` days, in the viewer's time zone. */
  costByProjectIn: (days: number, timeZone: string) => ["cost-by-project", days, timeZone] as const,
};
