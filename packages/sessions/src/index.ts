export * from "./apply-events";
export * from "./reap-stale";
export * from "./close-session";
export * from "./queries";
export * from "./publish";
export { fromRow, writeSessions, type Db } from "./rows";
