export * from "./apply-events";
export * from "./reap-stale";
export * from "./cleanup-sessions";
export * from "./end-silent";
export * from "./close-session";
export * from "./queries";
export * from "./stats";
export * from "./publish";
export { fromRow, selectSessions, writeSessions, type Db } from "./rows";
