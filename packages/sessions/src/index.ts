// Writes: apps go through the store, which announces every change on the session-change stream.
export * from "./store";
export type { ApplyResult } from "./apply-events";
export type { CleanupOptions } from "./cleanup-sessions";
export type { CloseResult } from "./close-session";
export type { PruneResult } from "./prune-ended";
export type { ReapOptions } from "./reap-stale";
// The same writes without announcing them: for tests that seed data, and the benchmarks.
export { applyEventBatch } from "./apply-events";
export { reapStaleSessions } from "./reap-stale";
export { pruneEndedSessions } from "./prune-ended";
// Reads.
export * from "./queries";
export * from "./stats";
export * from "./timeline";
export { fromRow, selectSessions, type Db } from "./rows";
export { loadHistories, HISTORY_LIMIT } from "./history";
// Notification channels, settings and test deliveries (the API's; the delivery worker has its own).
export * from "./notification-channels";
// The notification delivery engine's finds, claims and outcomes (the reaper's notifications worker).
export * from "./notifications";
