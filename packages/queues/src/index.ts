export * from "./names";
export * from "./jobs";
export * from "./connections";
export * from "./env";
export * from "./presence";
export * from "./outage-log";
export * from "./session-changes";
